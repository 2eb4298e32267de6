using System;
using Microsoft.AspNetCore.Http;

namespace Mirascope.Ops.Viewer.Access
{
    /// <summary>
    /// The configured public origin (<c>--public-origin https://ops.example.com</c>) in the two checks that otherwise know
    /// only loopback: the Host check (a request addressed to that host is the viewer's, not a rebound DNS name) and the
    /// cross-origin write check (a page served from that origin is the viewer's own page, also when a TLS proxy in front
    /// makes the browser's origin https while the viewer itself sees http).
    /// </summary>
    internal static class PublicOrigins
    {
        public static bool IsPublicHost(ViewerOptions options, HostString host) =>
            options.PublicOrigin is { } origin && host.HasValue
            && string.Equals(host.Host, origin.IdnHost, StringComparison.OrdinalIgnoreCase)
            && (host.Port ?? origin.Port) == origin.Port;

        public static bool IsPublicOrigin(ViewerOptions options, string origin) =>
            options.PublicOrigin is { } publicOrigin
            && string.Equals(origin.TrimEnd('/'), publicOrigin.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);

        public static string MisdirectedMessage(ViewerOptions options) => options.PublicOrigin is { } origin
            ? $"The viewer answers only requests addressed to {origin.Authority}, 127.0.0.1, [::1], localhost or a name under .localhost."
            : "The viewer answers only requests addressed to 127.0.0.1, [::1], localhost or a name under .localhost (behind a reverse proxy, start it with --public-origin https://<your host>).";
    }
}
