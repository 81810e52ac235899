package org.jrunc.image.registry;

import java.util.Map;

/** One request of the distribution API: a method, the path after {@code /v2/}, and its own headers. */
record ApiCall(String method, String path, Map<String, String> headers) {
    ApiCall {
        headers = Map.copyOf(headers);
    }

    static ApiCall get(String path, Map<String, String> headers) {
        return new ApiCall("GET", path, headers);
    }

    static ApiCall head(String path, Map<String, String> headers) {
        return new ApiCall("HEAD", path, headers);
    }
}
