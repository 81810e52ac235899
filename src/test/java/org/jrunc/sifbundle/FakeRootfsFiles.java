package org.jrunc.sifbundle;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Image files from a map, for config generation tests. */
final class FakeRootfsFiles implements RootfsFiles {
    final Map<String, String> files = new HashMap<>();

    FakeRootfsFiles with(String path, String content) {
        files.put(path, content);
        return this;
    }

    @Override
    public Optional<String> read(String path, int maxBytes) {
        return Optional.ofNullable(files.get(path));
    }

    @Override
    public boolean exists(String path) {
        return files.containsKey(path);
    }
}
