package example.modular;

import dev.ku0.sandbox.Policies;
import dev.ku0.sandbox.SandboxManager;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads a preset on the module path and makes one check through the native library. */
public final class Main {
    private Main() {}

    /**
     * Prints the modules of the application and of the API, then two decisions.
     *
     * @param args not used
     * @throws Exception when the workspace cannot be created
     */
    public static void main(String[] args) throws Exception {
        Path workspace = Files.createTempDirectory("workspace");
        try (SandboxManager sandbox = new SandboxManager(Policies.STRICT, workspace)) {
            System.out.println(Main.class.getModule().getName());                  // example.modular
            System.out.println(SandboxManager.class.getModule().getName());        // dev.ku0.sandbox
            System.out.println(sandbox.checkFileAccess("~/.ssh/id_rsa", "read"));  // false
            System.out.println(sandbox.checkFileAccess("src/Main.java", "read"));  // true
        } finally {
            Files.delete(workspace);
        }
    }
}
