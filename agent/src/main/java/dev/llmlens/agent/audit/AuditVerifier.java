package dev.llmlens.agent.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code java -jar llm-lens-agent.jar audit verify FILE}: walks the chain from the first line and
 * reports the first line that is edited, missing or out of place, and the last one that verified.
 */
public final class AuditVerifier {

    /** @param brokenLine 1-based line number of the first bad line, or 0 when the file verified */
    public record Result(long linesVerified, int segments, long brokenLine, String reason, String lastHash) {
        public boolean ok() {
            return brokenLine == 0;
        }

        public String describe(Path file) {
            if (ok()) {
                return "audit verify: OK: " + file + ": " + linesVerified + " lines in " + segments
                        + " segment(s) verified; last hash " + lastHash;
            }
            return "audit verify: BROKEN: " + file + " line " + brokenLine + ": " + reason + ". Last verified line: "
                    + (linesVerified == 0 ? "none" : linesVerified + " (hash " + lastHash + ")");
        }
    }

    private AuditVerifier() {}

    public static Result verify(Path file, AuditChain chain) throws IOException {
        long lineNumber = 0;
        int segments = 0;
        String prev = AuditChain.GENESIS;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                lineNumber++;
                long verified = lineNumber - 1;
                int hashAt = line.lastIndexOf(AuditChain.HASH_FIELD);
                String hash = hashAt < 0 ? null : AuditChain.stringField(line, "hash", line.length());
                if (hash == null || !line.endsWith("\"}")) {
                    return broken(verified, segments, lineNumber, "not an audit line (no hash)", prev);
                }
                if (AuditChain.seq(line) != lineNumber) {
                    return broken(verified, segments, lineNumber, "sequence number " + AuditChain.seq(line)
                            + " where " + lineNumber + " was expected: a line before it is missing or moved", prev);
                }
                String body = line.substring(0, hashAt);
                String linePrev = AuditChain.stringField(body, "prev", body.length());
                if (!prev.equals(linePrev)) {
                    return broken(verified, segments, lineNumber,
                            "it does not follow the line before it (prev hash differs): a line is missing or moved", prev);
                }
                boolean segmentStart = body.contains("\"record\":\"segment_start\"");
                if (segmentStart) {
                    segments++;
                    String algorithm = AuditChain.stringField(body, "mac", body.length());
                    if ("hmac-sha256".equals(algorithm) && !chain.keyed()) {
                        return broken(verified, segments, lineNumber,
                                "this segment is keyed (hmac-sha256): pass the key with --key or LLMLENS_AUDIT_KEY", prev);
                    }
                } else if (segments == 0) {
                    return broken(verified, segments, lineNumber, "the file does not begin with a segment start", prev);
                }
                if (!chain.hash(body).equals(hash)) {
                    return broken(verified, segments, lineNumber, "its content does not match its hash: the line was edited"
                            + (chain.keyed() ? " (or the key is not the one it was written with)" : ""), prev);
                }
                prev = hash;
            }
        }
        return new Result(lineNumber, segments, 0, null, prev);
    }

    private static Result broken(long verified, int segments, long line, String reason, String lastHash) {
        return new Result(verified, segments, line, reason, lastHash);
    }
}
