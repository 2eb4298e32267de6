using System;
using System.Net;

namespace Mirascope.Ops.Viewer.Access
{
    /// <summary>
    /// When the viewer may start as configured: beyond loopback only with accounts on (people sign in, senders use keys
    /// from the store), because in single-developer mode nothing but the loopback address protects the spans (they hold
    /// arguments and outputs). <c>--api-key</c> belongs to single-developer mode: with accounts on, keys come from the store.
    /// </summary>
    internal static class ListenPolicy
    {
        /// <summary>Throws <see cref="RefusedStartException"/> saying what to do when the options are not safe to start with.</summary>
        public static void Check(ViewerOptions options, bool accountsOn)
        {
            if (!IPAddress.IsLoopback(options.Listen) && !accountsOn)
            {
                throw new RefusedStartException(
                    $"Refusing to listen on {options.Listen}: beyond loopback the viewer needs accounts, and this store has none. " +
                    "Create the first admin with `mirascope-viewer admin create --email <you> --password-stdin` (same --store), then start again; " +
                    "or leave out --listen to stay on 127.0.0.1.");
            }

            if (accountsOn && !string.IsNullOrEmpty(options.ApiKey))
            {
                throw new RefusedStartException(
                    "--api-key (MIRASCOPE_VIEWER_API_KEY) is for single-developer mode; this store has accounts, so senders use keys made for an environment " +
                    "(printed by `admin create`, or made on the page's settings). Leave out --api-key.");
            }
        }
    }

    /// <summary>The viewer will not start with these options; the message says why and what to do.</summary>
    internal sealed class RefusedStartException : Exception
    {
        public RefusedStartException(string message)
            : base(message)
        {
        }
    }
}
