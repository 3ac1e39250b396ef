import dev.ku0.sandbox.Decision;
import dev.ku0.sandbox.Policies;
import dev.ku0.sandbox.SandboxManager;
import java.nio.file.Files;
import java.nio.file.Path;

public class QuickStart {
    public static void main(String[] args) throws Exception {
        Path workspace = Files.createTempDirectory("workspace"); // must exist
        try (SandboxManager sandbox = new SandboxManager(Policies.STRICT, workspace)) {
            System.out.println(sandbox.checkFileAccess("~/.ssh/id_rsa", "read"));         // false
            System.out.println(sandbox.checkFileAccess("src/index.ts", "read"));          // true
            Decision d = sandbox.evaluateCommand("git status; rm -rf ~").decision();
            System.out.println(d.verdict());                                                // DENY
            System.out.println(sandbox.getViolations().size());                             // 2
        }
    }
}
