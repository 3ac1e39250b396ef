package dev.ku0.sandbox.bench.seed;

import dev.ku0.sandbox.FilesystemMode;
import dev.ku0.sandbox.FilesystemPolicy;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/** The seed's {@code FileSystemGuard} (step 1.3). */
public final class SeedFilesystemGuard {
    private final FilesystemPolicy policy;
    private final Path workspaceRoot;
    private final String home;
    private final Path cwd;
    private final List<Path> blocked;

    /**
     * @param policy        the filesystem policy
     * @param workspaceRoot the workspace root, as the seed receives it
     * @param home          what the seed reads from {@code $HOME}
     * @param cwd           the process working directory that relative paths resolve against
     */
    public SeedFilesystemGuard(FilesystemPolicy policy, Path workspaceRoot, String home, Path cwd) {
        this.policy = policy;
        this.workspaceRoot = workspaceRoot;
        this.home = home;
        this.cwd = cwd;
        // The sketch re-expands every entry on every call; doing it once decides the same.
        this.blocked = policy.blockedPaths().stream().map(b -> rawPath(expandHome(b))).toList();
    }

    /** The seed's {@code check_access}; the operation is read by nothing, as in the sketch. */
    public ViolationResult checkAccess(String path, String operation) {
        Path normalized = normalizePath(path);

        if (isBlocked(normalized)) {
            return ViolationResult.denied("Path " + path + " is in blocked list");
        }
        if (policy.mode() == FilesystemMode.WORKSPACE || policy.mode() == FilesystemMode.STRICT) {
            if (!isWithinWorkspace(normalized)) {
                return ViolationResult.denied("Path " + path + " is outside workspace");
            }
        }
        if (!policy.allowHiddenFiles() && isHidden(path)) {
            return ViolationResult.denied("Hidden files not allowed");
        }
        return ViolationResult.ALLOWED;
    }

    /** {@code canonicalize().unwrap_or_else(|_| PathBuf::from(path))}: the raw input on any error. */
    private Path normalizePath(String path) {
        String expanded = expandHome(path);
        if (!expanded.isEmpty()) {
            try {
                return cwd.resolve(expanded).toRealPath();
            } catch (IOException | InvalidPathException e) {
                // fall through to the raw string, as the sketch does
            }
        }
        return rawPath(path);
    }

    /**
     * {@code PathBuf::from(s)}. Rust accepts any string; Java rejects NUL, and a hand-written Java
     * guard would let that exception stop the call.
     */
    private static Path rawPath(String s) {
        return Path.of(s);
    }

    private boolean isBlocked(Path path) {
        for (Path b : blocked) {
            if (path.startsWith(b)) return true;
        }
        return false;
    }

    private boolean isWithinWorkspace(Path path) {
        return path.startsWith(workspaceRoot);
    }

    /** {@code Path::new(path).file_name()} starts with a dot; Rust's rules for the last component. */
    static boolean isHidden(String path) {
        String last = null;
        for (String c : path.split("/", -1)) {
            if (!c.isEmpty() && !c.equals(".")) last = c;
        }
        return last != null && !last.equals("..") && last.startsWith(".");
    }

    private String expandHome(String path) {
        if (path.startsWith("~/") && home != null) {
            return home + path.substring(1);
        }
        return path;
    }
}
