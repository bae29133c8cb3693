package dev.llmlens.agent;

import dev.llmlens.agent.audit.AuditChain;
import dev.llmlens.agent.audit.AuditVerifier;
import dev.llmlens.agent.config.Config;
import java.nio.file.Path;

/** {@code audit verify FILE [--key KEY]}; the key may also come from llmlens.audit.key / LLMLENS_AUDIT_KEY. */
final class AuditCommand {

    private AuditCommand() {}

    /** @return the process exit code: 0 verified, 1 broken, 2 could not check */
    static int verify(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: java -jar llm-lens-agent.jar audit verify FILE [--key KEY]");
            return 2;
        }
        Path file = Path.of(args[2]);
        String key = args.length >= 5 && args[3].equals("--key") ? args[4]
                : Config.fromSystem().getString("llmlens.audit.key", null);
        try {
            AuditVerifier.Result result = AuditVerifier.verify(file, new AuditChain(key));
            System.out.println(result.describe(file));
            return result.ok() ? 0 : 1;
        } catch (Exception e) {
            System.err.println("audit verify: cannot read " + file + ": " + e);
            return 2;
        }
    }
}
