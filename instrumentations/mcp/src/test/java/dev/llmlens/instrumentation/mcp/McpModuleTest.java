package dev.llmlens.instrumentation.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmlens.instrumentation.mcp.helper.McpHooks;
import dev.llmlens.instrumentation.testing.ModuleContract;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The module's declarations against what was compiled and against the real MCP SDK jar. */
class McpModuleTest {

    private final McpModule module = new McpModule();

    @Test
    void helperClassNamesAreExactlyTheCompiledHelpers() throws Exception {
        ModuleContract.assertHelpersAreExactlyTheCompiledHelpers(module, McpHooks.class);
    }

    @Test
    void requiredClassesExistInTheSdk() throws ClassNotFoundException {
        ModuleContract.assertRequiredClassesExist(module, getClass().getClassLoader());
    }

    @Test
    void hooksMatchExactlyTheMethodsMeant() throws ClassNotFoundException {
        String async = "io.modelcontextprotocol.server.McpServerFeatures$AsyncToolSpecification";
        String stateless = "io.modelcontextprotocol.server.McpStatelessServerFeatures$AsyncToolSpecification";
        String sync = "io.modelcontextprotocol.server.McpServerFeatures$SyncToolSpecification";
        String statelessSync = "io.modelcontextprotocol.server.McpStatelessServerFeatures$SyncToolSpecification";
        // a constructor is listed by its type's name
        assertEquals(Map.of(
                "io.modelcontextprotocol.client.McpAsyncClient", Set.of("callTool"),
                async, Set.of(async),
                stateless, Set.of(stateless),
                sync, Set.of(sync),
                statelessSync, Set.of(statelessSync)),
                ModuleContract.matchedMethods(module, getClass().getClassLoader()));
    }

    @Test
    void nameIsTheModuleFolderName() {
        assertEquals("mcp", module.name());
        assertEquals(McpHooks.MODULE, module.name());
    }
}
