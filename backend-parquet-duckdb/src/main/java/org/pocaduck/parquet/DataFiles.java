package org.pocaduck.parquet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.parquet.io.InputFile;

/**
 * How queries reach data files named (relative to the store root) by an index. The local
 * implementation resolves them under the root directory; an object-store implementation would
 * map the same names to keys.
 */
interface DataFiles {
    /**
     * @param name a data file name relative to the store root
     * @return the file for parquet-java
     * @throws NoSuchFileException if it does not exist
     */
    InputFile open(String name) throws IOException;

    /** @return where the name points, for error messages */
    String describe(String name);

    /** Data files in a local directory. */
    record Local(StoreLayout layout) implements DataFiles {
        @Override
        public InputFile open(String name) throws IOException {
            Path path = layout.resolve(name);
            if (!Files.isRegularFile(path)) {
                throw new NoSuchFileException(path.toString());
            }
            return new LocalInputFile(path);
        }

        @Override
        public String describe(String name) {
            return layout.resolve(name).toString();
        }
    }
}
