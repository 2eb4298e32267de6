using System;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Llm;

namespace Mirascope.Ops
{
    /// <summary>Adds Mirascope.Ops tracing to a Microsoft.Extensions.AI chat pipeline.</summary>
    public static class ChatClientBuilderExtensions
    {
        /// <summary>
        /// Gives every <c>GetResponseAsync</c> and <c>GetStreamingResponseAsync</c> call a GenAI span
        /// (<c>chat {model}</c>, kind Client) on the Mirascope.Ops source, with request settings, response, token usage
        /// and errors, Mirascope's <c>mirascope.response.*</c> attributes and the <c>gen_ai.client.*</c> metrics.
        /// Put it after <c>UseFunctionInvocation()</c> so that each model round trip gets its own span and tool calls
        /// appear as <c>execute_tool {name}</c> spans beside them.
        /// </summary>
        /// <param name="builder">The pipeline.</param>
        /// <param name="configure">Sets the options (content capture, provider name); optional.</param>
        /// <returns>The same builder.</returns>
        public static ChatClientBuilder UseMirascopeOps(this ChatClientBuilder builder, Action<MirascopeChatClientOptions>? configure = null)
        {
            if (builder is null) throw new ArgumentNullException(nameof(builder));
            var options = new MirascopeChatClientOptions();
            configure?.Invoke(options);
            return builder.Use(inner => new MirascopeChatClient(inner, options));
        }
    }
}
