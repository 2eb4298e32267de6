using System;
using System.ClientModel;
using Microsoft.Extensions.AI;
using Mirascope.Ops;
using LlmQuickStart;
using OpenAI;

var apiKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY");

// No key: a bundled fake OpenAI server on 127.0.0.1 answers, so the sample runs offline.
await using var fake = string.IsNullOrEmpty(apiKey) ? await FakeOpenAIServer.StartAsync() : null;
Console.WriteLine(fake is null ? "Calling the OpenAI API." : $"No OPENAI_API_KEY: using the bundled fake server at {fake.Endpoint}.");

// Export as the environment says: MIRASCOPE_BASE_URL + MIRASCOPE_API_KEY (the viewer, or any Mirascope Cloud ingest),
// OTEL_EXPORTER_OTLP_ENDPOINT (any OpenTelemetry backend), else the trace tree on the console.
OpsExport.Configure();

// Subscribe that export to the LLM libraries' own spans and choose whether message content is recorded
// (off unless OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true). Call it before creating OpenAI clients.
OpsLlm.Instrument();

var options = new OpenAIClientOptions();
if (fake is not null)
{
    options.Endpoint = fake.Endpoint;
}

// An empty OPENAI_API_KEY means no key, as above (the SDK refuses an empty credential).
IChatClient chat = new OpenAI.Chat.ChatClient("gpt-4o-mini", new ApiKeyCredential(fake is null ? apiKey! : "sk-offline-fake"), options)
    .AsIChatClient()
    .AsBuilder()
    .UseMirascopeOps()   // a `chat gpt-4o-mini` span (gen_ai conventions) for every call
    .Build();

var librarian = new Librarian(chat);

// 1. One call: the traced method's span, with the chat span inside it.
var response = await librarian.RecommendBookAsync("fantasy");
Console.WriteLine($"recommendation: {response.Text}");

// 2. Streaming: the chat span ends when the stream does.
Console.Write("streamed: ");
await librarian.StreamRecommendationAsync("fantasy", Console.Write);
Console.WriteLine();
