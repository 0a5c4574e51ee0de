package org.pocaduck.memory;

import java.nio.file.Path;
import org.pocaduck.StorageConfig;
import org.pocaduck.testkit.BackendContractTest;

/** The memory backend passes the whole backend contract. */
class TestMemoryBackendContract extends BackendContractTest {
    @Override
    protected String storageType() {
        return "memory";
    }

    @Override
    protected StorageConfig.Builder newStoreConfig(Path directory) {
        // Memory stores are named; the fresh directory's path is a name no other test uses.
        return StorageConfig.builder("memory").location(directory.toString());
    }
}
