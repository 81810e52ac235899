package org.jrunc.container;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test of container operations on a fresh {@link FakeHost} (state store in a temporary directory). */
abstract class OperationTest {
    @TempDir
    Path tmp;

    FakeHost h;

    @BeforeEach
    void fakeHost() {
        h = new FakeHost(tmp);
    }
}
