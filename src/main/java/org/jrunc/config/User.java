package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** process.user: numeric ids only on Linux; username is ignored there. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record User(Long uid, Long gid, Integer umask, List<Long> additionalGids, String username) {
    public long uidOrRoot() {
        return uid == null ? 0 : uid;
    }

    public long gidOrRoot() {
        return gid == null ? 0 : gid;
    }

    public List<Long> additionalGidsOrEmpty() {
        return additionalGids == null ? List.of() : additionalGids;
    }
}
