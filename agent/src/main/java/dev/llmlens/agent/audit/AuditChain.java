package dev.llmlens.agent.audit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hash chain of the audit file, shared by the writer and {@code audit verify}. Each line ends in
 * {@code ,"prev":"<hash of the line before>","hash":"<hash of everything before ,"hash">"}}, so an
 * edited line breaks its own hash, and a deleted or moved line breaks the next line's {@code prev}.
 * With a key the hash is an HMAC-SHA256: without the key nobody can rewrite the whole file
 * consistently.
 */
public final class AuditChain {

    /** The {@code prev} of the very first line of a file. */
    public static final String GENESIS = "0".repeat(64);
    static final String HASH_FIELD = ",\"hash\":\"";
    static final String PREV_FIELD = ",\"prev\":\"";

    private final SecretKeySpec key;

    public AuditChain(String key) {
        this.key = key == null || key.isEmpty() ? null : new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public boolean keyed() {
        return key != null;
    }

    public String algorithm() {
        return keyed() ? "hmac-sha256" : "sha256";
    }

    /** The hash of a line's body: the line up to, not including, its {@code ,"hash":"…"} field. */
    public String hash(CharSequence body) {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        try {
            byte[] digest;
            if (key != null) {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                digest = mac.doFinal(bytes);
            } else {
                digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            }
            StringBuilder hex = new StringBuilder(64);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The last complete line of {@code file}, or null for a missing or empty file. Reads only its tail. */
    static String lastLine(Path file) throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            return null;
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long end = in.length();
            int window = (int) Math.min(end, 1 << 16);
            byte[] tail = new byte[window];
            in.seek(end - window);
            in.readFully(tail);
            String text = new String(tail, StandardCharsets.UTF_8);
            if (text.endsWith("\n")) {
                text = text.substring(0, text.length() - 1);
            }
            int start = text.lastIndexOf('\n');
            return text.substring(start + 1);
        }
    }

    /** The value of the last {@code "name":"value"} field before {@code end}, or null. */
    static String stringField(String line, String name, int end) {
        String marker = "\"" + name + "\":\"";
        int at = line.lastIndexOf(marker, end);
        if (at < 0) {
            return null;
        }
        int from = at + marker.length();
        int to = line.indexOf('"', from);
        return to < 0 ? null : line.substring(from, to);
    }

    static long seq(String line) {
        String marker = "{\"seq\":";
        if (!line.startsWith(marker)) {
            return -1;
        }
        int end = line.indexOf(',', marker.length());
        try {
            return Long.parseLong(line.substring(marker.length(), end));
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
