package dev.ku0.sandbox.bench.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ku0.sandbox.CommandMode;
import dev.ku0.sandbox.CommandPolicy;
import dev.ku0.sandbox.FilesystemMode;
import dev.ku0.sandbox.FilesystemPolicy;
import dev.ku0.sandbox.NetworkPolicy;
import dev.ku0.sandbox.bench.VirtualRoot;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The port decides like the original plan's sketch, holes included. */
class SeedPortTest {
    private VirtualRoot root;
    private SeedFilesystemGuard files;

    @BeforeEach
    void fixture() {
        root = VirtualRoot.create();
        for (String l : List.of("file /ws/src/main.rs", "file /ws/.env", "dir /ws/.git", "file /ws/.git/config",
                "file /home/user/.ssh/id_rsa", "file /etc/passwd")) {
            root.apply(l);
        }
        FilesystemPolicy p = new FilesystemPolicy(FilesystemMode.WORKSPACE, List.of(),
                List.of("~/.ssh", root.map("/etc")), true, false);
        Path ws = Path.of(root.map("/ws"));
        files = new SeedFilesystemGuard(p, ws, root.map("/home/user"), ws);
    }

    @AfterEach
    void cleanUp() {
        root.close();
    }

    @Test
    void pathsFallBackToTheRawStringWhenTheyDoNotExist() {
        assertTrue(files.checkAccess(root.map("/ws/src/main.rs"), "read").allowed());
        assertTrue(files.checkAccess("src/main.rs", "read").allowed(), "relative to the working directory");
        // Existing: canonicalized to /etc/passwd, blocked.
        assertFalse(files.checkAccess(root.map("/ws/../etc/passwd"), "read").allowed());
        // Missing: the raw string starts with the workspace, so the sketch lets it through.
        assertTrue(files.checkAccess(root.map("/ws/../etc/shadow"), "read").allowed());
        assertFalse(files.checkAccess("~/.ssh/id_rsa", "read").allowed());
        assertFalse(files.checkAccess(root.map("/srv/x"), "write").allowed());
    }

    @Test
    void hiddenFilesAreJudgedByTheLastComponentOnly() {
        assertFalse(files.checkAccess(root.map("/ws/.env"), "read").allowed());
        assertTrue(files.checkAccess(root.map("/ws/.git/config"), "write").allowed());
        assertTrue(SeedFilesystemGuard.isHidden("a/.b/."));
        assertFalse(SeedFilesystemGuard.isHidden("a/.."));
        assertFalse(SeedFilesystemGuard.isHidden("."));
    }

    @Test
    void networkHasThreeLocalhostStringsAndLetsOtherSchemesThrough() {
        SeedNetworkGuard open = new SeedNetworkGuard(new NetworkPolicy(true, null, List.of("evil.com"), false, true, true));
        assertFalse(open.checkRequest("http://localhost/", "GET").allowed());
        assertFalse(open.checkRequest("http://127.0.0.1:8080/", "GET").allowed());
        assertTrue(open.checkRequest("http://127.0.0.2/", "GET").allowed());
        assertTrue(open.checkRequest("http://[::1]/", "GET").allowed(), "the host string has brackets");
        assertTrue(open.checkRequest("http://169.254.169.254/latest/meta-data/", "GET").allowed());
        assertTrue(open.checkRequest("file:///etc/passwd", "GET").allowed());
        assertFalse(open.checkRequest("https://api.EVIL.com/", "GET").allowed());
        assertFalse(open.checkRequest("not a url", "GET").allowed());

        SeedNetworkGuard listed = new SeedNetworkGuard(new NetworkPolicy(true, List.of("github.com"), null, false, true, false));
        assertTrue(listed.checkRequest("https://api.github.com/x", "GET").allowed());
        assertFalse(listed.checkRequest("https://evilgithub.com/", "GET").allowed());
        assertFalse(listed.checkRequest("http://github.com/", "GET").allowed());
        SeedNetworkGuard empty = new SeedNetworkGuard(new NetworkPolicy(true, List.of(), null, false, true, false));
        assertFalse(empty.checkRequest("https://github.com/", "GET").allowed(), "an empty allow-list allows nothing");
    }

    @Test
    void commandsAreStringPrefixesSubstringsAndRegexes() {
        SeedCommandValidator white = new SeedCommandValidator(
                new CommandPolicy(CommandMode.WHITELIST, List.of("git status", "ls"), null, false));
        assertTrue(white.validateCommand("git status; rm -rf ~").allowed());
        assertTrue(white.validateCommand("git statusx").allowed());
        assertTrue(white.validateCommand("  GIT STATUS").allowed());
        assertFalse(white.validateCommand("cat x").allowed());
        assertFalse(white.validateCommand("echo sudoku").allowed(), "sudo is a substring");
        assertFalse(white.validateCommand("ls; rm -rf /").allowed(), "dangerous pattern");
        assertEquals("Command matches dangerous pattern", white.validateCommand("ls; rm -rf /").reason());

        SeedCommandValidator black = new SeedCommandValidator(
                new CommandPolicy(CommandMode.BLACKLIST, null, List.of("rm"), false));
        assertFalse(black.validateCommand("rm x").allowed());
        assertFalse(black.validateCommand("git commit -m 'perform'").allowed(), "contains is not a word match");
        assertTrue(black.validateCommand("r''m x").allowed());
        assertFalse(black.validateCommand(":(){:|:&};:").allowed());
        assertTrue(black.validateCommand(":(){ :|:& };:").allowed(), "the regex wants no spaces");
        assertFalse(black.validateCommand("dd\u00A0if=/dev/zero of=x").allowed(), "\\s is Unicode white space");
    }

    @Test
    void trimStripsUnicodeWhiteSpaceLikeRust() {
        assertEquals("ls", SeedCommandValidator.rustTrim("\u00A0\u2003 ls\u3000\n"));
        assertEquals("\u001Cls", SeedCommandValidator.rustTrim("\u001Cls"), "U+001C is not White_Space");
    }
}
