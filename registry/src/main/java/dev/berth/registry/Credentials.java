package dev.berth.registry;

/**
 * What a client sends to authenticate to one registry, as the docker CLI's X-Registry-Auth carries it: a user name and
 * password, or an identity token (an OAuth2 refresh token) that replaces the password in the token request.
 */
public record Credentials(String username, String password, String identityToken) {
    public static final Credentials ANONYMOUS = new Credentials(null, null, null);

    public boolean anonymous() {
        return (username == null || username.isEmpty()) && (identityToken == null || identityToken.isEmpty());
    }
}
