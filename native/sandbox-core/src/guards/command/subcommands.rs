//! The other spellings under which a tool runs one of its subcommands, for
//! blocked rules (docs/commands.md, "Rules"): a rule `npm install` blocks
//! `npm i` and `npm isntall`, a rule `cargo build` blocks `cargo b`, a rule
//! `npm run build` blocks `yarn`-style shorthands such as `npm test` for
//! `npm run test`. Each group lists names the tool itself takes for one
//! subcommand (npm 10's, pnpm 9's, yarn's, cargo's and bun's own alias
//! tables); the first name is the one the group is known by.

/// Alias groups per tool.
const ALIASES: &[(&str, &[&[&str]])] = &[
    (
        "npm",
        &[
            &[
                "install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal",
                "isntall", "add",
            ],
            &[
                "ci",
                "clean-install",
                "ic",
                "install-clean",
                "isntall-clean",
            ],
            &["install-ci-test", "cit", "clean-install-test", "sit"],
            &["install-test", "it"],
            &["run", "run-script", "rum", "urn"],
            &["test", "tst", "t"],
            &["exec", "x"],
            &["uninstall", "unlink", "remove", "rm", "r", "un"],
            &["update", "up", "upgrade", "udpate"],
            &["init", "create", "innit"],
            &["ls", "list", "la", "ll"],
            &["view", "info", "show", "v"],
            &["search", "find", "s", "se"],
            &["config", "c"],
            &["dedupe", "ddp"],
            &["explain", "why"],
            &["rebuild", "rb"],
            &["link", "ln"],
            &["version", "verison"],
            &["adduser", "login", "add-user"],
            &["owner", "author"],
            &["help", "hlep"],
        ],
    ),
    (
        "pnpm",
        &[
            &["install", "i"],
            &["remove", "rm", "uninstall", "un"],
            &["update", "up", "upgrade"],
            &["run", "run-script"],
            &["test", "t", "tst"],
            &["list", "ls"],
            &["link", "ln"],
            &["unlink", "dislink"],
            &["install-test", "it"],
        ],
    ),
    (
        "yarn",
        &[&["remove", "rm"], &["upgrade", "up"], &["list", "ls"]],
    ),
    (
        "cargo",
        &[
            &["build", "b"],
            &["check", "c"],
            &["test", "t"],
            &["run", "r"],
            &["doc", "d"],
            &["remove", "rm"],
        ],
    ),
    (
        "bun",
        &[&["install", "i"], &["add", "a"], &["remove", "rm"]],
    ),
];

/// Tools that run a script of the project's manifest when a word that is
/// not one of their own subcommands, or one of these, follows them:
/// `yarn build` is `yarn run build`, `npm test` is `npm run test`.
const SCRIPT_SHORTHANDS: &[(&str, Option<&[&str]>)] = &[
    // Any script name (a built-in of the same name wins, but a rule that
    // blocks `yarn run X` means X either way).
    ("yarn", None),
    ("pnpm", None),
    ("bun", None),
    // npm runs only its lifecycle scripts by their bare name.
    ("npm", Some(&["test", "start", "stop", "restart"])),
];

/// The name a tool's subcommand is known by: `i` → `install` for npm.
pub(crate) fn canonical<'w>(tool: &str, word: &'w str) -> &'w str {
    for (t, groups) in ALIASES {
        if *t == tool {
            for g in groups.iter() {
                if g.contains(&word) {
                    // Every name of a group is 'static; returning the first
                    // keeps one spelling per subcommand.
                    return g[0];
                }
            }
        }
    }
    word
}

/// Whether `word` after `tool` runs the script `script` of the manifest,
/// as `tool run script` does.
pub(crate) fn runs_script(tool: &str, word: &str, script: &str) -> bool {
    SCRIPT_SHORTHANDS.iter().any(|(t, names)| {
        *t == tool
            && canonical(tool, word) == canonical(tool, script)
            && names.is_none_or(|n| n.contains(&canonical(tool, script)))
    })
}

/// A tool that runs a subcommand when given none: `yarn` alone installs.
pub(crate) fn default_subcommand(tool: &str) -> Option<&'static str> {
    match tool {
        "yarn" => Some("install"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_fold_to_one_name() {
        assert_eq!(canonical("npm", "isntall"), "install");
        assert_eq!(canonical("npm", "i"), "install");
        assert_eq!(canonical("npm", "install"), "install");
        assert_eq!(canonical("npm", "rum"), "run");
        assert_eq!(canonical("cargo", "b"), "build");
        assert_eq!(canonical("git", "p"), "p");
        assert_eq!(canonical("yarn", "i"), "i");
    }

    #[test]
    fn script_shorthands() {
        assert!(runs_script("yarn", "build", "build"));
        assert!(runs_script("npm", "t", "test"));
        assert!(!runs_script("npm", "build", "build"));
        assert!(!runs_script("cargo", "build", "build"));
    }
}
