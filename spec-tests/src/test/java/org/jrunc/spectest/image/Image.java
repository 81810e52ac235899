package org.jrunc.spectest.image;

import java.util.List;

/**
 * A test image: its layers, bottom first, its platform, the command its config names, and the user its config names
 * (empty for none, which is root).
 */
public record Image(Platform platform, List<Layer> layers, List<String> cmd, String user) {

    public Image {
        layers = List.copyOf(layers);
        cmd = List.copyOf(cmd);
    }

    /** A linux/amd64 image whose command is {@code /bin/sh}. */
    public static Image of(Layer... layers) {
        return new Image(Platform.LINUX_AMD64, List.of(layers), List.of("/bin/sh"), "");
    }

    public Image withPlatform(Platform newPlatform) {
        return new Image(newPlatform, layers, cmd, user);
    }

    public Image withCmd(String... newCmd) {
        return new Image(platform, layers, List.of(newCmd), user);
    }

    /** The config's User: a name or uid, optionally {@code :group}, as a Dockerfile's USER takes it. */
    public Image withUser(String newUser) {
        return new Image(platform, layers, cmd, newUser);
    }
}
