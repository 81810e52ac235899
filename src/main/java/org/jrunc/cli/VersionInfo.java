package org.jrunc.cli;

import picocli.CommandLine;

/**
 * --version in runc's layout ("NAME version X", then "commit:", "spec:" lines), which go-runc and podman parse.
 */
public final class VersionInfo implements CommandLine.IVersionProvider {
    public static final String VERSION = versionFromJar();
    public static final String SPEC_VERSION = org.jrunc.state.StateView.OCI_VERSION;

    private static String versionFromJar() {
        String v = VersionInfo.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "jrunc version " + VERSION,
            "commit: " + System.getProperty("jrunc.commit", "unknown"),
            "spec: " + SPEC_VERSION,
            "java: " + System.getProperty("java.version"),
        };
    }
}
