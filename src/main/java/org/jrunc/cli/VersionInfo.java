package org.jrunc.cli;

import org.jrunc.Version;
import picocli.CommandLine;

/**
 * --version in runc's layout ("NAME version X", then "commit:", "spec:" lines), which go-runc and podman parse.
 */
public final class VersionInfo implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {
            "jrunc version " + Version.VERSION,
            "commit: " + System.getProperty("jrunc.commit", "unknown"),
            "spec: " + Version.RUNTIME_SPEC,
            "java: " + System.getProperty("java.version"),
        };
    }
}
