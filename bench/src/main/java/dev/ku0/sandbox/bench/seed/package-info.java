/**
 * The baseline: the seed plan's three guards (steps 1.3 to 1.5) ported to plain Java, as a
 * developer would write them by hand. Kept in the benchmark module only, to measure what the
 * native guards are compared with: their speed, and how many golden cases they decide wrongly.
 *
 * <p>The port keeps the sketch's logic, holes included: canonicalize or fall back to the raw
 * string, {@code starts_with} on paths, three localhost strings, {@code starts_with} and
 * {@code contains} on the raw command, regexes for dangers. Where Java differs from Rust the port
 * follows Rust's meaning (Unicode {@code \s} and whitespace trimming, {@code Path::file_name},
 * lower-cased scheme and host as the {@code url} crate gives them). {@link java.net.URI} stands
 * in for the {@code url} crate, as it would in a hand-written Java guard.
 *
 * <p>Two changes make the baseline faster, never different: work the sketch repeats on every
 * call for every rule (expanding {@code ~} in blocked paths, building {@code "." + domain},
 * lower-casing rules) is done once in the constructor. {@code $HOME} and the process working
 * directory, which the sketch reads from the environment, are constructor parameters so that the
 * corpus' virtual home and working directory apply.
 */
package dev.ku0.sandbox.bench.seed;
