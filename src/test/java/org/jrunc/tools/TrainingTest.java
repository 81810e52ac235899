package org.jrunc.tools;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

class TrainingTest {
    /** A renamed class would silently drop out of the archive (and stop the training run half-way): fail here. */
    @Test
    void everyClassTheTrainingLoadsByNameExists() {
        for (String name : Training.UNREACHED_CLASSES) {
            assertDoesNotThrow(() -> Class.forName(name, false, TrainingTest.class.getClassLoader()), name);
        }
    }
}
