package org.jrunc.sys;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.util.List;

/**
 * An execve whose path, argv and envp are in native memory already. The stages build it before the rlimits and the
 * seccomp filter go in, so the call itself allocates nothing: once a process.rlimits RLIMIT_AS below the JVM's mapped
 * size is in force, any new mapping fails, and a filter may refuse what marshalling the arguments would call.
 */
public final class PreparedExec {
    private final String path;
    private final List<String> argv;
    private final Memory nativePath;
    private final NativeStrings nativeArgv;
    private final NativeStrings nativeEnvp;

    private PreparedExec(
            String path, List<String> argv, Memory nativePath, NativeStrings nativeArgv, NativeStrings nativeEnvp) {
        this.path = path;
        this.argv = argv;
        this.nativePath = nativePath;
        this.nativeArgv = nativeArgv;
        this.nativeEnvp = nativeEnvp;
    }

    /** The native form, for the kernel. */
    static PreparedExec of(String path, String[] argv, String[] envp) {
        return new PreparedExec(
                path, List.of(argv), LinuxSyscalls.cString(path), NativeStrings.of(argv), NativeStrings.of(envp));
    }

    /** Without native memory, for a recording of the calls. */
    public static PreparedExec recorded(String path, String[] argv) {
        return new PreparedExec(path, List.of(argv), null, null, null);
    }

    public String path() {
        return path;
    }

    public List<String> argv() {
        return argv;
    }

    long pathAddress() {
        return Pointer.nativeValue(nativePath);
    }

    long argvAddress() {
        return nativeArgv.address();
    }

    long envpAddress() {
        return nativeEnvp.address();
    }

    /** After the call: the memory must outlive the kernel's reading of it. */
    void keepAlive() {
        Reference.reachabilityFence(nativePath);
        nativeArgv.keepAlive();
        nativeEnvp.keepAlive();
    }
}
