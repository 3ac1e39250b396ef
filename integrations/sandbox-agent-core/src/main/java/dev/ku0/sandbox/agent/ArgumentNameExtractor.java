package dev.ku0.sandbox.agent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The default {@link TargetExtractor}: finds targets by argument name, at any depth of nested
 * maps and lists. Names are compared after normalising case and separators ({@code filePath},
 * {@code file-path} and {@code FILE_PATH} are all {@code file_path}).
 *
 * <ul>
 *   <li>File arguments ({@code path}, {@code paths}, {@code file}, {@code files}, {@code filename},
 *       {@code file_path}, {@code filepath}, {@code source}, {@code destination}, {@code src},
 *       {@code dest}, {@code directory}, {@code dir}): the access is
 *       <ul>
 *         <li>a <b>write</b> when a word of the tool name is a writing verb ({@code write},
 *             {@code create}, {@code save}, {@code edit}, {@code delete}, {@code move},
 *             {@code mkdir}, ...; see {@link #WRITE_WORDS}), or when the arguments also carry
 *             content to write ({@code content}, {@code contents}, {@code new_content},
 *             {@code new_string}, {@code old_string}, {@code patch}, {@code diff});</li>
 *         <li>else a <b>list</b> when a word of the tool name is {@code list}, {@code ls},
 *             {@code dir}, {@code tree}, {@code glob}, or the argument is {@code directory}/{@code dir};</li>
 *         <li>else a <b>read</b>.</li>
 *       </ul>
 *       A delete or move is judged as a write.</li>
 *   <li>URL arguments ({@code url}, {@code urls}, {@code uri}, {@code endpoint}, {@code base_url}):
 *       an HTTP request whose method is a sibling {@code method} argument, else {@code GET}.</li>
 *   <li>Command arguments ({@code command}, {@code cmd}, {@code script}, {@code shell_command}):
 *       a shell command; a list under one of them is an argument vector, judged as the quoted
 *       command line. Under {@code commands} each element is a separate command.</li>
 * </ul>
 * A string or a list of strings under a recognised name is a target; a map under any name is
 * searched. Per tool, {@link Builder#forTool} replaces this with an extractor of your own and
 * {@link Builder#writeTool} makes every file argument of that tool a write.
 */
public final class ArgumentNameExtractor implements TargetExtractor {
    /** Tool-name words that make a file argument a write. */
    public static final Set<String> WRITE_WORDS = Set.of("write", "create", "save", "edit", "update", "append",
            "delete", "remove", "rm", "move", "mv", "rename", "copy", "cp", "mkdir", "put", "patch", "upload",
            "touch", "modify", "replace", "insert", "set", "store");
    /** Tool-name words that make a file argument a directory listing. */
    public static final Set<String> LIST_WORDS = Set.of("list", "ls", "dir", "tree", "glob", "readdir");

    private static final Set<String> DEFAULT_FILE_NAMES = Set.of("path", "paths", "file", "files", "filename",
            "file_path", "filepath", "source", "destination", "src", "dest", "directory", "dir");
    private static final Set<String> DIRECTORY_NAMES = Set.of("directory", "dir");
    private static final Set<String> DEFAULT_URL_NAMES = Set.of("url", "urls", "uri", "endpoint", "base_url");
    private static final Set<String> DEFAULT_COMMAND_NAMES = Set.of("command", "cmd", "script", "shell_command");
    private static final String COMMAND_LIST_NAME = "commands";
    private static final Set<String> CONTENT_NAMES = Set.of("content", "contents", "new_content", "new_string",
            "old_string", "patch", "diff");

    private static final ArgumentNameExtractor DEFAULTS = builder().build();

    private final Set<String> fileNames;
    private final Set<String> urlNames;
    private final Set<String> commandNames;
    private final Map<String, TargetExtractor> perTool;
    private final Set<String> writeTools;

    private ArgumentNameExtractor(Builder b) {
        this.fileNames = Set.copyOf(b.fileNames);
        this.urlNames = Set.copyOf(b.urlNames);
        this.commandNames = Set.copyOf(b.commandNames);
        this.perTool = Map.copyOf(b.perTool);
        this.writeTools = Set.copyOf(b.writeTools);
    }

    /** The extractor with the default names and no per-tool configuration. */
    public static ArgumentNameExtractor defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the default names. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<Target> extract(String toolName, Map<String, Object> arguments) {
        Objects.requireNonNull(toolName, "toolName");
        TargetExtractor own = perTool.get(toolName);
        if (own != null) return own.extract(toolName, arguments);
        List<Target> out = new ArrayList<>();
        if (arguments != null) {
            FileKind kind = fileKind(toolName, arguments);
            search(arguments, kind, out, 0);
        }
        return List.copyOf(out);
    }

    private enum FileKind { READ, WRITE, LIST }

    private FileKind fileKind(String toolName, Map<String, Object> arguments) {
        if (writeTools.contains(toolName)) return FileKind.WRITE;
        List<String> words = words(toolName);
        if (words.stream().anyMatch(WRITE_WORDS::contains)) return FileKind.WRITE;
        if (arguments.keySet().stream().map(ArgumentNameExtractor::normalise).anyMatch(CONTENT_NAMES::contains)) {
            return FileKind.WRITE;
        }
        if (words.stream().anyMatch(LIST_WORDS::contains)) return FileKind.LIST;
        return FileKind.READ;
    }

    /** Nesting deeper than this is not searched further but refused by the guard. */
    static final int MAX_DEPTH = 32;

    private void search(Map<?, ?> map, FileKind kind, List<Target> out, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("tool arguments are nested deeper than " + MAX_DEPTH + " levels");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = normalise(String.valueOf(e.getKey()));
            Object value = e.getValue();
            if (fileNames.contains(name)) {
                FileKind k = kind == FileKind.READ && DIRECTORY_NAMES.contains(name) ? FileKind.LIST : kind;
                for (String s : strings(value)) out.add(fileTarget(k, s));
            } else if (urlNames.contains(name)) {
                Object m = map.get("method");
                String method = m instanceof String s && !s.isBlank() ? s.trim().toUpperCase(Locale.ROOT) : "GET";
                for (String s : strings(value)) out.add(Target.http(method, s));
            } else if (commandNames.contains(name)) {
                if (value instanceof String s) {
                    out.add(Target.command(s));
                } else if (value instanceof Collection<?> c && !c.isEmpty() && c.stream().allMatch(String.class::isInstance)) {
                    out.add(Target.command(shellQuote(c)));
                }
            } else if (name.equals(COMMAND_LIST_NAME)) {
                for (String s : strings(value)) out.add(Target.command(s));
            }
            searchNested(value, kind, out, depth + 1);
        }
    }

    private void searchNested(Object value, FileKind kind, List<Target> out, int depth) {
        if (value instanceof Map<?, ?> m) {
            search(m, kind, out, depth);
        } else if (value instanceof Collection<?> c) {
            for (Object o : c) searchNested(o, kind, out, depth + 1);
        }
    }

    private static Target fileTarget(FileKind kind, String path) {
        return switch (kind) {
            case READ -> Target.fileRead(path);
            case WRITE -> Target.fileWrite(path);
            case LIST -> Target.fileList(path);
        };
    }

    private static List<String> strings(Object value) {
        if (value instanceof String s) return List.of(s);
        List<String> out = new ArrayList<>();
        if (value instanceof Collection<?> c) {
            for (Object o : c) if (o instanceof String s) out.add(s);
        }
        return out;
    }

    /** {@code filePath}, {@code file-path}, {@code File Path} → {@code file_path}. */
    static String normalise(String name) {
        return String.join("_", words(name));
    }

    /** The lower-case words of a name split at case changes, digits and separators. */
    static List<String> words(String name) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        char prev = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!Character.isLetterOrDigit(c)) {
                flush(w, out);
            } else {
                boolean boundary = Character.isUpperCase(c) && w.length() > 0
                        && (Character.isLowerCase(prev)
                            || (i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1))));
                if (boundary) flush(w, out);
                w.append(Character.toLowerCase(c));
            }
            prev = c;
        }
        flush(w, out);
        return out;
    }

    private static void flush(StringBuilder w, List<String> out) {
        if (w.length() > 0) {
            out.add(w.toString());
            w.setLength(0);
        }
    }

    private static String shellQuote(Collection<?> argv) {
        StringBuilder sb = new StringBuilder();
        for (Object o : argv) {
            String a = (String) o;
            if (sb.length() > 0) sb.append(' ');
            sb.append('\'').append(a.replace("'", "'\\''")).append('\'');
        }
        return sb.toString();
    }

    /** Builder of {@link ArgumentNameExtractor}: starts from the default names. */
    public static final class Builder {
        private final Set<String> fileNames = new HashSet<>(DEFAULT_FILE_NAMES);
        private final Set<String> urlNames = new HashSet<>(DEFAULT_URL_NAMES);
        private final Set<String> commandNames = new HashSet<>(DEFAULT_COMMAND_NAMES);
        private final Map<String, TargetExtractor> perTool = new HashMap<>();
        private final Set<String> writeTools = new HashSet<>();

        private Builder() {}

        /** More argument names that hold a path. */
        public Builder fileArguments(String... names) {
            for (String n : names) fileNames.add(normalise(n));
            return this;
        }

        /** More argument names that hold a URL. */
        public Builder urlArguments(String... names) {
            for (String n : names) urlNames.add(normalise(n));
            return this;
        }

        /** More argument names that hold a shell command. */
        public Builder commandArguments(String... names) {
            for (String n : names) commandNames.add(normalise(n));
            return this;
        }

        /** Every file argument of the tool {@code toolName} is judged as a write. */
        public Builder writeTool(String toolName) {
            writeTools.add(Objects.requireNonNull(toolName, "toolName"));
            return this;
        }

        /** Calls of the tool {@code toolName} are examined by {@code extractor} instead. */
        public Builder forTool(String toolName, TargetExtractor extractor) {
            perTool.put(Objects.requireNonNull(toolName, "toolName"), Objects.requireNonNull(extractor, "extractor"));
            return this;
        }

        public ArgumentNameExtractor build() {
            return new ArgumentNameExtractor(this);
        }
    }
}
