package org.jrunc;

/** jrunc's own version, from the jar's manifest (Implementation-Version, set by the build), and the spec it implements. */
public final class Version {
    public static final String VERSION = fromJar();

    /** The runtime-spec version jrunc implements: the state's and the spec template's ociVersion. */
    public static final String RUNTIME_SPEC = "1.2.1";

    private Version() {}

    private static String fromJar() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-dev" : v;
    }
}
