/**
 * A correct pure-Java implementation of the three checks for the simple cases, the baseline the
 * native guards are compared with: symbolic links resolved by the system, URLs and hosts parsed as
 * the guard parses them, commands tokenised as bash does. Where a case is outside what it models it
 * answers {@link dev.ku0.sandbox.bench.baseline.Answer#UNSUPPORTED} instead of guessing; on the
 * golden corpus every answer it gives agrees with the native guards ({@code BaselineAgreement}).
 */
package dev.ku0.sandbox.bench.baseline;
