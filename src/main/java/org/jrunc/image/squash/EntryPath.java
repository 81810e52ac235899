package org.jrunc.image.squash;

import java.util.ArrayList;
import java.util.List;

/**
 * A tar entry's name (or hard link target) as the path components it names in the image. A leading "./" and "."
 * components are what tar writes for the root and are dropped, as is the root named "/"; any other absolute name, a ".." component, a NUL or a PAX
 * name that was not UTF-8 (commons-compress decodes it to U+FFFD, which would rename the file) is refused. A ustar
 * name field that is not UTF-8 cannot be told apart: commons-compress decodes its bad bytes to '?'.
 */
final class EntryPath {
    private EntryPath() {}

    /** Thrown with the reason the name is refused. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * The components of {@code name}; empty for the root itself ("./", ".", and "/", which umoci writes for a layer
     * inserted at the root: only the root may be named absolutely).
     */
    static List<String> components(String name) throws Refused {
        if (name.startsWith("/") && !name.equals("/")) {
            throw new Refused("absolute path");
        }
        if (name.indexOf('\0') >= 0) {
            throw new Refused("NUL in the name");
        }
        if (name.indexOf('\uFFFD') >= 0) {
            throw new Refused("name is not UTF-8");
        }
        List<String> components = new ArrayList<>();
        for (String component : name.split("/")) {
            if (component.equals("..")) {
                throw new Refused("\"..\" in the path");
            }
            if (!component.isEmpty() && !component.equals(".")) {
                components.add(component);
            }
        }
        return components;
    }

    static String join(List<String> components) {
        return String.join("/", components);
    }
}
