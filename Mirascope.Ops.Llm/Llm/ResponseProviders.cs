using System;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Diagnostics;

namespace Mirascope.Ops.Llm
{
    /// <summary>
    /// Which provider produced a <see cref="ChatResponse"/>. The response type carries no provider, so responses that
    /// pass through a Mirascope chat client are remembered (weakly: the table never keeps a response alive), and
    /// others are recognised by the SDK type of their raw representation.
    /// </summary>
    internal static class ResponseProviders
    {
        private static readonly ConditionalWeakTable<ChatResponse, string> Known = new ConditionalWeakTable<ChatResponse, string>();

        public static void Remember(ChatResponse response, string provider)
        {
            try
            {
                lock (Known)
                {
                    Known.Remove(response);
                    Known.Add(response, provider);
                }
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("remember response provider", ex);
            }
        }

        public static string? Find(ChatResponse response)
        {
            if (Known.TryGetValue(response, out var provider))
            {
                return provider;
            }

            var ns = response.RawRepresentation?.GetType().Namespace;
            if (ns is null) return null;
            if (ns == "OpenAI" || ns.StartsWith("OpenAI.", StringComparison.Ordinal)) return "openai";
            if (ns == "Anthropic" || ns.StartsWith("Anthropic.", StringComparison.Ordinal)) return "anthropic";
            return null;
        }
    }
}
