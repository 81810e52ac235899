package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** linux: the Linux-specific part of config.json (config-linux.md). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Linux(
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings,
        Map<String, String> sysctl,
        Resources resources,
        String cgroupsPath,
        List<Namespace> namespaces,
        List<Device> devices,
        Seccomp seccomp,
        String rootfsPropagation,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        String mountLabel,
        IntelRdt intelRdt,
        Personality personality,
        Map<String, TimeOffset> timeOffsets,
        MemoryPolicy memoryPolicy,
        Map<String, NetDevice> netDevices) {

    public List<Namespace> namespacesOrEmpty() {
        return namespaces == null ? List.of() : namespaces;
    }

    public List<Device> devicesOrEmpty() {
        return devices == null ? List.of() : devices;
    }

    public List<String> maskedPathsOrEmpty() {
        return maskedPaths == null ? List.of() : maskedPaths;
    }

    public List<String> readonlyPathsOrEmpty() {
        return readonlyPaths == null ? List.of() : readonlyPaths;
    }
}
