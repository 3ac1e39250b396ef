import java.security.Provider;
import java.security.SecureRandomSpi;
import java.util.SplittableRandom;

/**
 * Test-only, for the Java tests under wine (scripts/test-windows-java): the JDK's default
 * SecureRandom (DRBG) gathers system entropy through NetworkInterface.getAll, which calls an
 * iphlpapi function wine 8.0 lacks, and the JVM dies. Installed first through
 * scripts/lib/wine/java.security, this provider answers `new SecureRandom()` (which
 * Files.createTempDirectory uses) from a non-cryptographic generator seeded by the clock. Never
 * for real use: nothing it makes is secret.
 */
public final class WinePrngProvider extends Provider {
    private static final long serialVersionUID = 1L;

    public WinePrngProvider() {
        super("WinePrng", "1.0", "test-only SecureRandom for wine; not secure");
        putService(new Service(this, "SecureRandom", "WinePrng", Spi.class.getName(), null, null));
    }

    /** The generator behind the service. */
    public static final class Spi extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;
        private final SplittableRandom random = new SplittableRandom(System.nanoTime() ^ ProcessHandle.current().pid());

        @Override
        protected void engineSetSeed(byte[] seed) {
            // A test generator: extra seed material changes nothing that matters here.
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            random.nextBytes(bytes);
        }

        @Override
        protected byte[] engineGenerateSeed(int n) {
            byte[] b = new byte[n];
            random.nextBytes(b);
            return b;
        }
    }
}
