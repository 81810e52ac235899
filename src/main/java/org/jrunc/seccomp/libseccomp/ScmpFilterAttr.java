package org.jrunc.seccomp.libseccomp;

/** enum scmp_filter_attr as of libseccomp 2.5. */
public enum ScmpFilterAttr {
    ACT_DEFAULT(1),
    ACT_BADARCH(2),
    CTL_NNP(3),
    CTL_TSYNC(4),
    API_TSKIP(5),
    CTL_LOG(6),
    CTL_SSB(7),
    CTL_OPTIMIZE(8),
    API_SYSRAWRC(9);

    private final int code;

    ScmpFilterAttr(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
