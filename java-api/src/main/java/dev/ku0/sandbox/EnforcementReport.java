package dev.ku0.sandbox;

import java.util.List;
import java.util.Map;

/**
 * What the enforcement helper could enforce on this kernel, and how the command ended.
 *
 * @param status        {@code ok}, {@code timeout}, {@code refused}, {@code exec_failed} or {@code error}
 * @param enforcement   the weakest level among the mechanisms: {@code full}, {@code partial} or {@code none}
 * @param mechanisms    per mechanism ({@code landlock}, {@code seccomp}, {@code namespaces}, {@code network},
 *                      {@code rlimits}, {@code timeout}): its level and what is missing
 * @param kernel        the kernel release
 * @param networkMode   {@code off} or {@code proxy}
 * @param networkEvents requests the proxy decided, as the report lists them: all of the first 1000, then only those
 *                      refused or to a destination not listed before (within a bound)
 * @param networkRequests every request the proxy decided, listed or not: more than {@code networkEvents} holds
 *                      when the list is cut
 * @param gitQuarantined git configuration, hooks and links the run created or changed, moved aside after it
 * @param gitRefsChanged refs of the repositories known before the run that it changed, added or removed (tags,
 *                      branches, {@code refs/stash} and the stash's entries, {@code ORIG_HEAD}, remote-tracking refs)
 * @param ignoredChanges files in the writable trees that the run made, changed or replaced and that {@code git status}
 *                      and {@code git diff} of their repository do not show, each with the reason (git ignores it, it
 *                      was untracked before, it lies below a directory that was untracked before, in a nested
 *                      repository or submodule, it is marked in the index, a link whose target in a git dir changed);
 *                      a directory holding many is one entry with their count; at most 200 entries
 * @param ignoredChangesUnlisted such files {@code ignoredChanges} does not list (beyond its bound)
 * @param outsideChanges files in the writable trees outside every repository's working tree (or in a repository the
 *                      search before the run did not find) that the run made or changed, which no {@code git status}
 *                      shows; a directory the run made holding many is one entry with their count; at most 200
 *                      entries
 * @param outsideChangesUnlisted such files {@code outsideChanges} does not list (beyond its bound)
 * @param permissionsRepaired directories and files in the writable trees whose permissions the run widened for other
 *                      accounts (write bits for the group and others, POSIX ACLs) and the helper narrowed again after
 *                      it; at most 200 entries
 * @param permissionsRepairedUnlisted such entries {@code permissionsRepaired} does not list
 * @param notes         remarks of the helper
 * @param error         the helper's error, if it failed
 * @param json          the report as the helper wrote it
 */
public record EnforcementReport(String status, String enforcement, Map<String, Mechanism> mechanisms, String kernel,
                                String networkMode, List<NetworkEvent> networkEvents, long networkRequests,
                                List<Quarantined> gitQuarantined, List<RefChange> gitRefsChanged,
                                List<IgnoredChange> ignoredChanges, long ignoredChangesUnlisted,
                                List<OutsideChange> outsideChanges, long outsideChangesUnlisted,
                                List<PermissionRepair> permissionsRepaired, long permissionsRepairedUnlisted,
                                List<String> notes, String error, String json) {
    /**
     * A report without outside changes and repaired permissions (the shape before {@code outside_changes} and
     * {@code permissions_repaired}).
     *
     * @param status                 see the record
     * @param enforcement            see the record
     * @param mechanisms             see the record
     * @param kernel                 see the record
     * @param networkMode            see the record
     * @param networkEvents          see the record
     * @param networkRequests        see the record
     * @param gitQuarantined         see the record
     * @param gitRefsChanged         see the record
     * @param ignoredChanges         see the record
     * @param ignoredChangesUnlisted see the record
     * @param notes                  see the record
     * @param error                  see the record
     * @param json                   see the record
     */
    public EnforcementReport(String status, String enforcement, Map<String, Mechanism> mechanisms, String kernel,
                             String networkMode, List<NetworkEvent> networkEvents, long networkRequests,
                             List<Quarantined> gitQuarantined, List<RefChange> gitRefsChanged,
                             List<IgnoredChange> ignoredChanges, long ignoredChangesUnlisted, List<String> notes,
                             String error, String json) {
        this(status, enforcement, mechanisms, kernel, networkMode, networkEvents, networkRequests, gitQuarantined,
                gitRefsChanged, ignoredChanges, ignoredChangesUnlisted, List.of(), 0, List.of(), 0, notes, error,
                json);
    }

    /**
     * A report without ignored changes (the shape before {@code ignored_changes}).
     *
     * @param status          see the record
     * @param enforcement     see the record
     * @param mechanisms      see the record
     * @param kernel          see the record
     * @param networkMode     see the record
     * @param networkEvents   see the record
     * @param networkRequests see the record
     * @param gitQuarantined  see the record
     * @param gitRefsChanged  see the record
     * @param notes           see the record
     * @param error           see the record
     * @param json            see the record
     */
    public EnforcementReport(String status, String enforcement, Map<String, Mechanism> mechanisms, String kernel,
                             String networkMode, List<NetworkEvent> networkEvents, long networkRequests,
                             List<Quarantined> gitQuarantined, List<RefChange> gitRefsChanged, List<String> notes,
                             String error, String json) {
        this(status, enforcement, mechanisms, kernel, networkMode, networkEvents, networkRequests, gitQuarantined,
                gitRefsChanged, List.of(), 0, notes, error, json);
    }

    /**
     * A report without a request count (the shape before {@code network_requests}): every request listed.
     *
     * @param status         see the record
     * @param enforcement    see the record
     * @param mechanisms     see the record
     * @param kernel         see the record
     * @param networkMode    see the record
     * @param networkEvents  see the record
     * @param gitQuarantined see the record
     * @param gitRefsChanged see the record
     * @param notes          see the record
     * @param error          see the record
     * @param json           see the record
     */
    public EnforcementReport(String status, String enforcement, Map<String, Mechanism> mechanisms, String kernel,
                             String networkMode, List<NetworkEvent> networkEvents, List<Quarantined> gitQuarantined,
                             List<RefChange> gitRefsChanged, List<String> notes, String error, String json) {
        this(status, enforcement, mechanisms, kernel, networkMode, networkEvents, networkEvents.size(),
                gitQuarantined, gitRefsChanged, notes, error, json);
    }

    /**
     * A report without ref changes (the shape before {@code git_refs_changed}).
     *
     * @param status         see the record
     * @param enforcement    see the record
     * @param mechanisms     see the record
     * @param kernel         see the record
     * @param networkMode    see the record
     * @param networkEvents  see the record
     * @param gitQuarantined see the record
     * @param notes          see the record
     * @param error          see the record
     * @param json           see the record
     */
    public EnforcementReport(String status, String enforcement, Map<String, Mechanism> mechanisms, String kernel,
                             String networkMode, List<NetworkEvent> networkEvents, List<Quarantined> gitQuarantined,
                             List<String> notes, String error, String json) {
        this(status, enforcement, mechanisms, kernel, networkMode, networkEvents, networkEvents.size(), gitQuarantined,
                List.of(), notes, error, json);
    }

    /** A report for a run where the helper wrote none. */
    static EnforcementReport missing(String why) {
        return new EnforcementReport("error", "none", Map.of(), "", "", List.of(), 0, List.of(), List.of(), List.of(), 0,
                List.of(), 0, List.of(), 0, List.of(), why, "");
    }

    /**
     * A short summary for a person: how the sandbox ended, what was not fully enforced, and what it
     * refused or undid that it knows about (network requests the proxy denied, git entries moved
     * aside). File accesses that the kernel refused are not listed: the command sees them as
     * {@code Permission denied} or {@code Read-only file system} on its own error output.
     *
     * <p>Every value taken from the report is printed through {@link TerminalText#visible}: paths,
     * proxy targets and notes may hold what the command chose, and a control character in them
     * (an escape sequence, a carriage return, a bidirectional override) is shown, never acted on
     * by the terminal, so the summary cannot be rewritten by what it reports.
     *
     * @return lines, each starting with {@code sandbox:}, ending with a newline
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append("sandbox: ").append(v(status)).append(", enforcement ").append(v(enforcement));
        if (!networkMode.isEmpty()) sb.append(", network ").append(v(networkMode));
        sb.append('\n');
        if (error != null && !error.isEmpty()) sb.append("sandbox: error: ").append(v(error)).append('\n');
        mechanisms.entrySet().stream()
                .filter(e -> !"full".equals(e.getValue().level()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> sb.append("sandbox: ").append(v(e.getKey())).append(' ')
                        .append(v(e.getValue().level())).append(": ").append(v(e.getValue().detail())).append('\n'));
        List<NetworkEvent> denied = networkEvents.stream().filter(ev -> !"allow".equals(ev.verdict())).toList();
        if (!denied.isEmpty()) {
            sb.append("sandbox: refused ").append(denied.size())
                    .append(denied.size() == 1 ? " network request:\n" : " network requests:\n");
            for (NetworkEvent ev : denied) {
                sb.append("  ").append(v(ev.method())).append(' ').append(v(ev.target())).append(": ")
                        .append(v(ev.code()));
                if (ev.reason() != null && !ev.reason().isEmpty()) sb.append(" (").append(v(ev.reason())).append(')');
                sb.append('\n');
            }
        }
        if (networkRequests > networkEvents.size()) {
            sb.append("sandbox: the proxy decided ").append(networkRequests).append(" network requests; the report lists ")
                    .append(networkEvents.size())
                    .append(" (allowed repeats to destinations listed before are counted, not listed)\n");
        }
        if (!gitQuarantined.isEmpty()) {
            sb.append("sandbox: moved aside ").append(gitQuarantined.size())
                    .append(" git ").append(gitQuarantined.size() == 1 ? "entry" : "entries")
                    .append(" the run created or changed:\n");
            for (Quarantined q : gitQuarantined) {
                sb.append("  ").append(v(q.path()))
                        .append(q.movedTo() == null ? " (could not be moved)" : " -> " + v(q.movedTo()))
                        .append(": ").append(v(q.why())).append('\n');
            }
        }
        if (!gitRefsChanged.isEmpty()) {
            sb.append("sandbox: the run changed ").append(gitRefsChanged.size())
                    .append(gitRefsChanged.size() == 1 ? " git ref" : " git refs")
                    .append(" (check what each names now before using it):\n");
            for (RefChange c : gitRefsChanged) {
                sb.append("  ").append(v(c.name())).append(" in ").append(v(c.gitDir())).append(": ")
                        .append(c.oldValue() == null ? "(none)" : v(c.oldValue())).append(" -> ")
                        .append(c.newValue() == null ? "(none)" : v(c.newValue())).append('\n');
            }
        }
        if (!ignoredChanges.isEmpty()) {
            long files = ignoredChangesUnlisted;
            for (IgnoredChange c : ignoredChanges) files += c.files();
            boolean onlyIgnored = ignoredChanges.stream().allMatch(c -> IgnoredChange.IGNORED.equals(c.reason()));
            sb.append("sandbox: the run made or changed ").append(files)
                    .append(files == 1 ? " file" : " files")
                    .append(onlyIgnored ? " that git ignores (git status and git diff do not show them; check before"
                            + " running the project's tools):\n"
                            : " that git status and git diff do not show (check before running the project's"
                            + " tools):\n");
            for (IgnoredChange c : ignoredChanges) {
                sb.append("  ").append(v(c.path()));
                if (c.files() != 1) sb.append(" (").append(c.files()).append(" files)");
                if (IgnoredChange.IGNORED.equals(c.reason())) {
                    sb.append(", ignored by ").append(v(c.ignoredBy()));
                } else {
                    sb.append(", ").append(v(c.reason()).replace('_', ' '));
                    if (!c.ignoredBy().isEmpty()) sb.append(": ").append(v(c.ignoredBy()));
                }
                if (c.ignoreFileChanged()) sb.append(" (made or changed by the run)");
                sb.append('\n');
            }
            if (ignoredChangesUnlisted > 0) {
                sb.append("  and ").append(ignoredChangesUnlisted).append(" more not listed\n");
            }
        }
        for (String note : notes) sb.append("sandbox: note: ").append(v(note)).append('\n');
        return sb.toString();
    }

    private static String v(String s) {
        return TerminalText.visible(s);
    }

    /** {@return whether every mechanism was fully enforced} */
    public boolean fullyEnforced() {
        return "full".equals(enforcement);
    }

    /**
     * One enforcement mechanism.
     *
     * @param level  {@code full}, {@code partial} or {@code none}
     * @param detail what holds or what is missing
     */
    public record Mechanism(String level, String detail) {}

    /**
     * A request the network proxy decided.
     *
     * @param method  {@code CONNECT} or the HTTP method
     * @param target  {@code host:port}, or the URL
     * @param verdict {@code allow} or {@code deny}
     * @param code    the decision code, or {@code CONNECT_FAILED}
     * @param reason  why
     */
    public record NetworkEvent(String method, String target, String verdict, String code, String reason) {}

    /**
     * A git entry (configuration, hook, link to another directory) that the run created or changed,
     * which the helper moved aside after the run so that git outside the sandbox does not follow it.
     *
     * @param path    where it was
     * @param movedTo where it is now, or {@code null} when it could not be moved
     * @param why     what the run did to it, and why moving failed if it did
     */
    public record Quarantined(String path, String movedTo, String why) {}

    /**
     * A ref of a repository known before the run that the run changed, added or removed, or an entry of
     * the stash that is gone or new.
     *
     * @param gitDir   the git dir
     * @param name     the ref ({@code refs/tags/v1.0}, {@code refs/stash}, {@code ORIG_HEAD}), or
     *                 {@code stash@{N}} for a stash entry
     * @param oldValue its value before the run (an object id, {@code ref: NAME}; for a stash entry its id and
     *                 message), or {@code null} when it did not exist
     * @param newValue its value after the run, or {@code null} when it is gone
     */
    public record RefChange(String gitDir, String name, String oldValue, String newValue) {}

    /**
     * A file the run made, changed or replaced that the review with {@code git status} and {@code git diff} does not
     * show; or a directory holding many.
     *
     * @param path              the file, or the directory with a trailing {@code /}
     * @param files             1 for a file, the count of such files for a directory
     * @param ignoredBy         what hides it: the ignore file whose rule matches ({@code .gitignore},
     *                          {@code .git/info/exclude}, an excludes file of the git configuration), the index of a
     *                          marked file, the nested repository, the untracked directory, the repository whose
     *                          {@code git status} printed the same line before, the link's target
     * @param ignoreFileChanged whether the run itself made or changed that ignore file
     * @param reason            why git does not show it: {@code ignored}, {@code untracked_before},
     *                          {@code below_untracked_directory}, {@code nested_repository}, {@code marked},
     *                          {@code link_target}
     */
    public record IgnoredChange(String path, long files, String ignoredBy, boolean ignoreFileChanged, String reason) {
        /** The reason of a file git ignores (all a report without the field lists). */
        public static final String IGNORED = "ignored";

        /**
         * A file git ignores (the shape before {@code reason}).
         *
         * @param path              see the record
         * @param files             see the record
         * @param ignoredBy         see the record
         * @param ignoreFileChanged see the record
         */
        public IgnoredChange(String path, long files, String ignoredBy, boolean ignoreFileChanged) {
            this(path, files, ignoredBy, ignoreFileChanged, IGNORED);
        }
    }

    /**
     * A file outside every repository's working tree of the writable trees (or in a repository the search before
     * the run did not find) that the run made or changed: no {@code git status} shows it; or a directory the run
     * made holding many.
     *
     * @param path  the file, or the directory with a trailing {@code /}
     * @param files 1 for a file, the count of such files for a directory
     */
    public record OutsideChange(String path, long files) {}

    /**
     * A directory or regular file of the writable trees whose permissions the run widened for other accounts, which
     * the helper narrowed again after the run.
     *
     * @param path        the entry
     * @param modeBefore  its permission bits as the run left them, in octal ({@code 0777})
     * @param modeAfter   its permission bits after the repair, in octal ({@code 0755})
     * @param aclsRemoved the ACL attributes removed ({@code system.posix_acl_access},
     *                    {@code system.posix_acl_default}); empty when none
     */
    public record PermissionRepair(String path, String modeBefore, String modeAfter, List<String> aclsRemoved) {
        /**
         * A repair; the list is copied.
         */
        public PermissionRepair {
            aclsRemoved = List.copyOf(aclsRemoved);
        }
    }
}
