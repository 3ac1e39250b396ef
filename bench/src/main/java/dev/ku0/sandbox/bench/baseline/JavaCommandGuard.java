package dev.ku0.sandbox.bench.baseline;

import dev.ku0.sandbox.CommandMode;
import dev.ku0.sandbox.CommandPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A correct pure-Java command check for the simple cases of an allow-list policy. The command is
 * tokenised as bash does for them: blanks, single and double quotes, backslash escapes inside
 * double quotes, {@code $(…)} (also inside double quotes, checked as a command of its own), the
 * operators {@code |}, {@code ||}, {@code &&}, {@code ;} and the redirects {@code >}, {@code >>},
 * {@code <}, {@code 2>}, {@code 2>&1}. Every simple command must start with an allowed entry (by
 * whole words), and the programs it knows are read as the guard reads them: their options, and
 * their file operands and redirect targets judged by {@link JavaPathGuard}.
 *
 * <p>Anything else is not answered ({@link Answer#UNSUPPORTED}): other shell syntax (variables,
 * globs, backquotes, {@code ~}, braces, subshells, background jobs, here-documents), programs it
 * does not model, options it does not know, a deny-list policy.
 */
public final class JavaCommandGuard {
    private static final Set<String> BUILTINS = Set.of("cd", "export", "eval", "exec", "source", ".", "set",
            "unset", "alias", "read", "trap", "command", "builtin", "type", "declare", "local", "test", "[", "[[",
            "true", "false", ":", "if", "then", "else", "fi", "for", "while", "until", "do", "done", "case", "esac",
            "function", "time", "env", "nohup", "timeout", "nice", "xargs", "sudo", "doas", "su", "sh", "bash", "zsh");

    private final List<List<String>> allowed = new ArrayList<>();
    private final JavaPathGuard files;
    private final boolean supported;

    /** @param files the path check that judges file operands and redirect targets */
    public JavaCommandGuard(CommandPolicy policy, JavaPathGuard files) {
        this.files = files;
        boolean ok = policy.mode() == CommandMode.WHITELIST && !policy.allowSudo();
        for (String entry : policy.allowedCommands() == null ? List.<String>of() : policy.allowedCommands()) {
            List<String> words = List.of(entry.trim().split("\\s+"));
            for (String w : words) {
                if (!w.matches("[A-Za-z0-9._/-]+")) ok = false;
            }
            allowed.add(words);
        }
        supported = ok;
    }

    /** The answer for one command line. */
    public Answer check(String command) {
        // Long inputs and deep nesting meet the guard's limits, which this does not model.
        if (!supported || command.length() > 512) return Answer.UNSUPPORTED;
        Parser p = new Parser(command);
        List<Simple> commands = new ArrayList<>();
        if (!p.list(commands, false) || p.pos != command.length()) return Answer.UNSUPPORTED;
        if (commands.isEmpty()) return Answer.UNSUPPORTED;
        Answer result = Answer.ALLOW;
        for (Simple s : commands) {
            Answer a = judge(s);
            if (a == Answer.DENY) return Answer.DENY;
            if (a == Answer.UNSUPPORTED) result = Answer.UNSUPPORTED;
        }
        return result;
    }

    /** A simple command: its words ({@code null} where a word's value is not known) and redirects. */
    private record Simple(List<String> words, List<String[]> redirects) {}

    private Answer judge(Simple s) {
        List<String> w = s.words;
        if (w.isEmpty() || w.get(0) == null) return Answer.UNSUPPORTED;
        String program = w.get(0);
        boolean listed = false;
        for (List<String> entry : allowed) {
            if (entry.size() <= w.size() && entry.equals(w.subList(0, entry.size()))) {
                listed = true;
                break;
            }
        }
        if (!listed) {
            if (!program.matches("[a-z][a-z0-9_-]*") || BUILTINS.contains(program)) return Answer.UNSUPPORTED;
            boolean namedAtAll = false;
            for (List<String> entry : allowed) namedAtAll |= entry.get(0).equals(program);
            // A listed program with other arguments may still be allowed by a rule the guard reads.
            return namedAtAll ? Answer.UNSUPPORTED : Answer.DENY;
        }
        Answer a = redirects(s.redirects);
        if (a != Answer.ALLOW) return a;
        return program(w);
    }

    private Answer redirects(List<String[]> redirects) {
        for (String[] r : redirects) {
            String op = r[0];
            String target = r[1];
            if (op.equals(">&")) continue;
            if (target == null) return Answer.UNSUPPORTED;
            if (target.equals("/dev/null")) continue;
            Answer a = files.check(target, op.equals("<") ? "read" : "write");
            if (a != Answer.ALLOW) return a;
        }
        return Answer.ALLOW;
    }

    /** Options and file operands of the programs it models. */
    private Answer program(List<String> w) {
        String program = w.get(0);
        List<String> args = w.subList(1, w.size());
        if (program.equals("echo")) return Answer.ALLOW;
        for (String a : args) {
            if (a == null) return Answer.UNSUPPORTED;
        }
        return switch (program) {
            case "grep" -> grep(args);
            case "head" -> simpleFiles(args, Set.of("-n", "-c"), "");
            case "wc" -> simpleFiles(args, Set.of(), "lcwm");
            case "sort" -> simpleFiles(args, Set.of(), "rnuf");
            case "git" -> git(args);
            case "find" -> find(args);
            case "xargs" -> xargs(args);
            default -> Answer.UNSUPPORTED;
        };
    }

    private Answer grep(List<String> args) {
        List<String> operands = new ArrayList<>();
        boolean patternGiven = false;
        boolean endOfOptions = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!endOfOptions && a.equals("--")) {
                endOfOptions = true;
            } else if (!endOfOptions && a.equals("-e") && i + 1 < args.size()) {
                patternGiven = true;
                i++;
            } else if (!endOfOptions && a.startsWith("-") && a.length() > 1) {
                if (!a.substring(1).chars().allMatch(c -> "rRniclvwxEFHhsqo".indexOf(c) >= 0)) return Answer.UNSUPPORTED;
            } else {
                operands.add(a);
            }
        }
        if (!patternGiven) {
            if (operands.isEmpty()) return Answer.UNSUPPORTED;
            operands.remove(0);
        }
        return reads(operands);
    }

    /** Options from {@code withValue} (taking the next word) and single-letter flags; the rest files. */
    private Answer simpleFiles(List<String> args, Set<String> withValue, String flags) {
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (withValue.contains(a) && i + 1 < args.size() && args.get(i + 1).matches("[0-9]+")) {
                i++;
            } else if (a.matches("-[0-9]+") && withValue.contains("-n")) {
                continue;
            } else if (a.startsWith("-") && a.length() > 1) {
                if (!a.substring(1).chars().allMatch(c -> flags.indexOf(c) >= 0)) return Answer.UNSUPPORTED;
            } else {
                operands.add(a);
            }
        }
        return reads(operands);
    }

    private Answer git(List<String> args) {
        if (args.isEmpty()) return Answer.UNSUPPORTED;
        String sub = args.get(0);
        Set<String> options = switch (sub) {
            case "log" -> Set.of("--oneline", "--name-only", "--stat");
            case "diff" -> Set.of("--name-only", "--stat", "--cached");
            case "rev-parse" -> Set.of("--short", "--abbrev-ref");
            default -> null;
        };
        if (options == null) return Answer.UNSUPPORTED;
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (sub.equals("log") && a.equals("-n") && i + 1 < args.size() && args.get(i + 1).matches("[0-9]+")) {
                i++;
            } else if (!options.contains(a) && !a.matches("HEAD(~[0-9]+)?")) {
                return Answer.UNSUPPORTED;
            }
        }
        return Answer.ALLOW;
    }

    private Answer find(List<String> args) {
        List<String> reads = new ArrayList<>();
        int i = 0;
        while (i < args.size() && !args.get(i).startsWith("-")) reads.add(args.get(i++));
        while (i < args.size()) {
            String a = args.get(i++);
            switch (a) {
                case "-name", "-iname", "-path", "-type", "-maxdepth", "-mindepth" -> {
                    if (i >= args.size()) return Answer.UNSUPPORTED;
                    i++;
                }
                case "-newer" -> {
                    if (i >= args.size()) return Answer.UNSUPPORTED;
                    reads.add(args.get(i++));
                }
                case "-print" -> {}
                default -> {
                    return Answer.UNSUPPORTED;
                }
            }
        }
        return reads(reads);
    }

    /** {@code xargs COMMAND…} without options: the command must be allowed on its own. */
    private Answer xargs(List<String> args) {
        if (args.isEmpty() || args.get(0).startsWith("-")) return Answer.UNSUPPORTED;
        return judge(new Simple(args, List.of()));
    }

    private Answer reads(List<String> paths) {
        for (String p : paths) {
            Answer a = files.check(p, "read");
            if (a != Answer.ALLOW) return a;
        }
        return Answer.ALLOW;
    }

    /** A recursive-descent reader of the simple cases of bash syntax. */
    private static final class Parser {
        final String s;
        int pos;
        int depth;

        Parser(String s) {
            this.s = s;
        }

        /** A list of pipelines up to the end or, nested, a {@code )}; simple commands collected in order. */
        boolean list(List<Simple> out, boolean nested) {
            boolean expectCommand = true;
            while (true) {
                blanks();
                if (pos >= s.length() || (nested && s.charAt(pos) == ')')) return !expectCommand || out.isEmpty() && !nested;
                char c = s.charAt(pos);
                if (c == '|' || c == '&' || c == ';') {
                    if (expectCommand) return false;
                    if (s.startsWith("||", pos) || s.startsWith("&&", pos)) pos += 2;
                    else if (c == '&') return false; // a background job
                    else pos++;
                    expectCommand = c != ';';
                    if (c == ';') {
                        blanks();
                        expectCommand = pos < s.length() && !(nested && s.charAt(pos) == ')');
                    }
                    continue;
                }
                if (!expectCommand) return false;
                Simple cmd = simple(out);
                if (cmd == null) return false;
                out.add(cmd);
                expectCommand = false;
            }
        }

        Simple simple(List<Simple> out) {
            List<String> words = new ArrayList<>();
            List<String[]> redirects = new ArrayList<>();
            while (true) {
                blanks();
                if (pos >= s.length()) break;
                char c = s.charAt(pos);
                if (c == '|' || c == '&' || c == ';' || c == ')') {
                    if (s.startsWith("&>", pos)) return null;
                    break;
                }
                String op = redirectOp();
                if (op != null) {
                    if (op.equals(">&")) {
                        redirects.add(new String[] {op, null});
                        continue;
                    }
                    blanks();
                    Word target = word(out);
                    if (target == null) return null;
                    redirects.add(new String[] {op, target.value});
                    continue;
                }
                Word w = word(out);
                if (w == null) return null;
                words.add(w.value);
            }
            if (words.isEmpty()) return null;
            return new Simple(words, redirects);
        }

        /** {@code >}, {@code >>}, {@code <}, {@code 2>}, {@code 2>>}, or {@code >&} for {@code 2>&1}. */
        String redirectOp() {
            if (s.startsWith("2>&1", pos)) {
                pos += 4;
                return ">&";
            }
            for (String op : new String[] {"2>>", "2>", ">>", ">", "<"}) {
                if (s.startsWith(op, pos)) {
                    if (s.startsWith(op + "&", pos) || s.startsWith(op + "(", pos) || s.startsWith("<<", pos)
                            || s.startsWith(">|", pos)) {
                        return null;
                    }
                    pos += op.length();
                    return op.startsWith("2") ? ">" : op.equals(">>") ? ">" : op;
                }
            }
            return null;
        }

        /** A word's value ({@code null} when a substitution makes it unknown), or {@code null} on syntax it does not read. */
        private record Word(String value) {}

        Word word(List<Simple> out) {
            StringBuilder b = new StringBuilder();
            boolean known = true;
            int start = pos;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '|' || c == '&' || c == ';' || c == ')' || c == '<' || c == '>') break;
                if (c == '\'') {
                    int end = s.indexOf('\'', pos + 1);
                    if (end < 0) return null;
                    b.append(s, pos + 1, end);
                    pos = end + 1;
                } else if (c == '"') {
                    pos++;
                    while (true) {
                        if (pos >= s.length()) return null;
                        char d = s.charAt(pos);
                        if (d == '"') {
                            pos++;
                            break;
                        }
                        if (d == '\\' && pos + 1 < s.length() && "\"\\$`".indexOf(s.charAt(pos + 1)) >= 0) {
                            b.append(s.charAt(pos + 1));
                            pos += 2;
                        } else if (d == '$' && s.startsWith("$(", pos) && !s.startsWith("$((", pos)) {
                            if (!substitution(out)) return null;
                            known = false;
                        } else if (d == '$' || d == '`' || d == '!' || d == '\\') {
                            return null;
                        } else {
                            b.append(d);
                            pos++;
                        }
                    }
                } else if (c == '$' && s.startsWith("$(", pos) && !s.startsWith("$((", pos)) {
                    if (!substitution(out)) return null;
                    known = false;
                } else if ("$`\\*?[]{}~#!(=".indexOf(c) >= 0 || c == '\n' || c < 0x20) {
                    if (c == '=' && pos > start) {
                        b.append(c); // `a=b` as an argument is a plain word
                        pos++;
                        continue;
                    }
                    return null;
                } else {
                    b.append(c);
                    pos++;
                }
            }
            if (pos == start) return null;
            return new Word(known ? b.toString() : null);
        }

        /** {@code $(…)}: the inner list joins the commands to check. */
        boolean substitution(List<Simple> out) {
            pos += 2;
            if (++depth > 2) return false;
            List<Simple> inner = new ArrayList<>();
            if (!list(inner, true) || pos >= s.length() || s.charAt(pos) != ')' || inner.isEmpty()) return false;
            pos++;
            depth--;
            out.addAll(inner);
            return true;
        }

        void blanks() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) pos++;
        }
    }
}
