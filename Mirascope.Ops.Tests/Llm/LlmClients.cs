using System;
using System.ClientModel;
using System.ClientModel.Primitives;
using Anthropic;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Mirascope.Ops.Tests.Llm
{
    /// <summary>The real SDK clients, pointed at the loopback fake, as Microsoft.Extensions.AI chat clients.</summary>
    internal static class LlmClients
    {
        public static IChatClient OpenAI(FakeLlmServer server, string model) =>
            OpenAIChat(server, model).AsIChatClient();

        public static global::OpenAI.Chat.ChatClient OpenAIChat(FakeLlmServer server, string model) =>
            new global::OpenAI.Chat.ChatClient(model, new ApiKeyCredential("sk-test-not-a-real-key"), new OpenAIClientOptions
            {
                Endpoint = new Uri(server.BaseAddress, "/v1"),
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            });

        public static AnthropicClient AnthropicClient(FakeLlmServer server) => new AnthropicClient
        {
            ApiKey = "sk-ant-test-not-a-real-key",
            BaseUrl = server.BaseAddress.ToString().TrimEnd('/'),
            MaxRetries = 0,
        };

        public static IChatClient Anthropic(FakeLlmServer server, string model) =>
            AnthropicClient(server).AsIChatClient(model);

        public static IChatClient Traced(this IChatClient client, bool? capture = null, bool functionInvocation = false)
        {
            var builder = client.AsBuilder();
            if (functionInvocation)
            {
                builder.UseFunctionInvocation();
            }

            return builder.UseMirascopeOps(options => options.CaptureMessageContent = capture).Build();
        }
    }
}
