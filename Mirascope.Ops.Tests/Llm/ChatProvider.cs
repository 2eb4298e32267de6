using System;
using System.ClientModel;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using Xunit;

namespace Mirascope.Ops.Tests.Llm
{
    /// <summary>
    /// One provider's real SDK against the loopback fake, for the span tests that hold for every provider
    /// (<see cref="ChatProviderSpanTests"/>): how to make its client, the names the fake answers with, and the
    /// checks where the providers differ.
    /// </summary>
    public sealed class ChatProvider
    {
        public static readonly ChatProvider OpenAI = new ChatProvider(
            "openai",
            "gpt",
            LlmClients.OpenAI,
            "call_weather_1",
            (thrown, span) =>
            {
                Assert.Equal(400, Assert.IsType<ClientResultException>(thrown).Status);
                Assert.Equal(thrown.Message, span.StatusDescription);
            },
            firstChat =>
            {
                Assert.Equal(
                    "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"call_weather_1\",\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}]}]",
                    firstChat.GetTagItem("gen_ai.output.messages"));
                Assert.Equal(
                    "[{\"type\":\"tool_call\",\"id\":\"call_weather_1\",\"name\":\"get_weather\",\"args\":\"{\\\"city\\\":\\\"Paris\\\"}\"}]",
                    firstChat.GetTagItem("mirascope.response.content"));
            });

        public static readonly ChatProvider Anthropic = new ChatProvider(
            "anthropic",
            "claude",
            LlmClients.Anthropic,
            "toolu_weather_1",
            (thrown, span) => Assert.StartsWith("Anthropic.", thrown.GetType().FullName, StringComparison.Ordinal),
            firstChat => { });

        private ChatProvider(
            string name,
            string modelPrefix,
            Func<FakeLlmServer, string, IChatClient> client,
            string toolCallId,
            Action<Exception, Activity> checkErrorResponse,
            Action<Activity> checkToolCallChat)
        {
            Name = name;
            ModelPrefix = modelPrefix;
            Client = client;
            ToolCallId = toolCallId;
            CheckErrorResponse = checkErrorResponse;
            CheckToolCallChat = checkToolCallChat;
        }

        /// <summary>The theory's argument, and <c>gen_ai.provider.name</c>.</summary>
        public string Name { get; }

        /// <summary>How its models are named: the fake picks its behaviour from the rest (<c>-slow</c>, <c>-error</c>).</summary>
        public string ModelPrefix { get; }

        public Func<FakeLlmServer, string, IChatClient> Client { get; }

        /// <summary>The id the fake gives its tool call.</summary>
        public string ToolCallId { get; }

        /// <summary>What the SDK throws for the fake's 400, and what of it the failed span shows beyond its type.</summary>
        public Action<Exception, Activity> CheckErrorResponse { get; }

        /// <summary>The provider's exact shape of the first chat of a tool call, beyond what every provider records.</summary>
        public Action<Activity> CheckToolCallChat { get; }

        public static ChatProvider Named(string name) => name switch
        {
            "openai" => OpenAI,
            "anthropic" => Anthropic,
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a provider of the fake"),
        };
    }
}
