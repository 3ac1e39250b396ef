package dev.ku0.sandbox;

import java.nio.charset.StandardCharsets;

/** Strict UTF-8 for text that crosses into the native engine. */
final class Utf8 {
    private Utf8() {}

    /**
     * The UTF-8 bytes of {@code s}, or {@code null} when it holds an unpaired surrogate: such a
     * string has no UTF-8 form, and replacing the char (as {@link String#getBytes} does) would
     * make the engine judge a different text than the caller meant.
     */
    static byte[] encode(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return null;
                }
            }
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Maps UTF-8 byte offsets of {@code s} to {@code String} indices. */
    static final class Offsets {
        private final int[] charIndexOfByte;

        Offsets(String s, byte[] utf8) {
            charIndexOfByte = new int[utf8.length + 1];
            int b = 0;
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
                for (int k = 0; k < len && b + k < charIndexOfByte.length; k++) charIndexOfByte[b + k] = i;
                b += len;
                i += Character.charCount(cp);
            }
            charIndexOfByte[utf8.length] = s.length();
        }

        int charIndex(int byteOffset) {
            if (byteOffset <= 0) return 0;
            if (byteOffset >= charIndexOfByte.length) return charIndexOfByte[charIndexOfByte.length - 1];
            return charIndexOfByte[byteOffset];
        }
    }
}
