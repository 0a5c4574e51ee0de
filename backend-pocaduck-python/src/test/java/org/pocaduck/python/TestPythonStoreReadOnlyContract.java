package org.pocaduck.python;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.testkit.PocaduckPoints;
import org.pocaduck.testkit.ReadOnlyBackendContractTest;

/**
 * The read-only contract on the two stores the original Python PoCADuck wrote from
 * {@code shared/data/pocaduck_points} (workers w0 and w1; see
 * {@code shared/data/pocaduck_python_store/README.md}), read in place: each must hold exactly the
 * clouds of {@code points.csv}, by label and block.
 */
class TestPythonStoreReadOnlyContract extends ReadOnlyBackendContractTest {
    @Override
    protected String storageType() {
        return PythonStoreBackendFactory.STORAGE_TYPE;
    }

    @Override
    protected List<StoreFixture> fixtures() {
        Map<Long, Map<String, PointCloud>> points = PocaduckPoints.readCsv();
        PointSchema schema = PointSchema.defaultFor(PocaduckPoints.DIMENSIONS);
        return List.of(
                new StoreFixture("unoptimized", StoreChecks.config(TestSharedPythonStores.unoptimized()), schema,
                        points, Set.of("w0", "w1")),
                new StoreFixture("optimized", StoreChecks.config(TestSharedPythonStores.optimized()), schema,
                        points, Set.of("w0", "w1")));
    }
}
