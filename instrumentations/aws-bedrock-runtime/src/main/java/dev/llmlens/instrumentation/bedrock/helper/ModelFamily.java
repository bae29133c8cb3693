package dev.llmlens.instrumentation.bedrock.helper;

/**
 * The vendor API behind a Bedrock model id, which decides the InvokeModel body shapes and whether
 * the call is a chat, a text completion or an embedding.
 */
enum ModelFamily {
    ANTHROPIC, NOVA, TITAN_TEXT, TITAN_EMBED, LLAMA, COHERE_COMMAND, COHERE_EMBED, MISTRAL, OTHER;

    /**
     * Accepts foundation-model ids ({@code anthropic.claude-...}), cross-region inference profiles
     * ({@code us.}, {@code eu.}, {@code apac.}, {@code global.} ...) and ARNs ending in either. An
     * application inference profile ARN names no model: OTHER.
     */
    static ModelFamily of(String modelId) {
        if (modelId == null) {
            return OTHER;
        }
        String id = modelId.substring(modelId.lastIndexOf('/') + 1);
        int vendorEnd = id.indexOf('.');
        int second = vendorEnd < 0 ? -1 : id.indexOf('.', vendorEnd + 1);
        String vendor = vendorEnd < 0 ? id : id.substring(0, vendorEnd);
        String rest = vendorEnd < 0 ? "" : id.substring(vendorEnd + 1);
        if (second > 0 && !isVendor(vendor) && isVendor(rest.substring(0, rest.indexOf('.')))) {
            // a region or geography prefix before the vendor
            vendor = rest.substring(0, rest.indexOf('.'));
            rest = rest.substring(rest.indexOf('.') + 1);
        }
        switch (vendor) {
            case "anthropic":
                return ANTHROPIC;
            case "amazon":
                if (rest.contains("embed")) {
                    return TITAN_EMBED;
                }
                return rest.startsWith("nova") ? NOVA : rest.startsWith("titan-text") || rest.startsWith("titan-tg1") ? TITAN_TEXT : OTHER;
            case "meta":
                return LLAMA;
            case "cohere":
                return rest.startsWith("embed") ? COHERE_EMBED : COHERE_COMMAND;
            case "mistral":
                return MISTRAL;
            default:
                return OTHER;
        }
    }

    private static boolean isVendor(String name) {
        switch (name) {
            case "anthropic": case "amazon": case "meta": case "cohere": case "mistral": case "ai21": case "deepseek":
            case "openai": case "qwen": case "writer": case "stability": case "twelvelabs": case "luma":
                return true;
            default:
                return false;
        }
    }

    boolean isEmbedding() {
        return this == TITAN_EMBED || this == COHERE_EMBED;
    }
}
