using System;
using System.Linq;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mirascope.Ops.Viewer.Access;
using Mirascope.Ops.Viewer.Api;
using Mirascope.Ops.Viewer.Ingest;
using Mirascope.Ops.Viewer.Storage;

namespace Mirascope.Ops.Viewer
{
    /// <summary>Builds the viewer's web app: Kestrel on 127.0.0.1, the store, ingest, the read API and the page.</summary>
    internal static class ViewerApp
    {
        /// <summary>How long stopping waits for requests still running before it cuts their connections.</summary>
        public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

        public static WebApplication Build(ViewerOptions options, Action<ILoggingBuilder>? logging = null)
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
            {
                Args = Array.Empty<string>(),
                ContentRootPath = AppContext.BaseDirectory,
            });
            var store = new TraceStore(options.Store, Cost.PriceTable.Load(options.PricesPath));
            var accounts = new Accounts.AccountStore(store.Engine);
            var accountsMode = new Accounts.AccountsMode(accounts, accounts.HasUsers());
            ListenPolicy.Check(options, accountsMode.On);
            var certificate = options.CertificatePath is { } certificatePath ? ViewerCertificate.Load(certificatePath, options.CertificatePassword) : null;
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                // Loopback unless accounts are on (ListenPolicy): without them nothing but the address protects the spans
                // (they hold arguments and outputs). Beyond loopback, TLS comes from a reverse proxy or --certificate (docs/viewer.md).
                kestrel.Listen(options.Listen, options.Port, listen =>
                {
                    if (certificate is not null)
                    {
                        listen.UseHttps(certificate);
                    }
                });
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxRequestBodySize = null;   // ingest enforces --max-body-mb itself, with a message that says so
            });
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
            logging?.Invoke(builder.Logging);

            builder.Services.AddSingleton(options);
            builder.Services.AddSingleton(store);
            builder.Services.AddSingleton(accountsMode);
            builder.Services.AddSingleton(store.Prices);
            builder.Services.AddSingleton(new FunctionStore(store));
            builder.Services.AddSingleton(new FunctionFigures(store));
            builder.Services.AddSingleton(new SpanSearchQuery(store));
            builder.Services.AddSingleton(new AnnotationStore(store));
            builder.Services.AddSingleton(new AnalyticsQuery(store));
            builder.Services.AddSingleton(new CloudTraceQueries(store));
            builder.Services.AddSingleton<SpanNotifier>();
            builder.Services.AddHostedService(services => services.GetRequiredService<SpanNotifier>());   // hears other viewers' writes (PostgreSQL)
            builder.Services.AddSingleton(new SignInThrottle(store.Engine));
            var retention = new Storage.Retention.RetentionPolicies(store, new Storage.Retention.RetentionPolicy(options.RetentionAge, options.RetentionBytes));
            builder.Services.AddSingleton(retention);
            builder.Services.AddSingleton(new Storage.Retention.RetentionRun(store, retention));
            builder.Services.AddHostedService<Storage.Retention.RetentionService>();
            builder.Services.AddSingleton<IngestGate>();
            builder.Services.AddHostedService(services => services.GetRequiredService<IngestGate>());
            // Stopping waits this long for requests still running (then cuts their connections), not the host's 30 s: a
            // long read would otherwise hold Ctrl+C for that long. Admitted ingest is waited for on its own (IngestGate).
            builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);

            var app = builder.Build();
            // The engine's connection pool (PostgreSQL) is closed with the app.
            app.Lifetime.ApplicationStopped.Register(() => (store.Engine as IDisposable)?.Dispose());
            app.Use(async (context, next) =>
            {
                // A web page in the browser could otherwise reach this loopback server under a rebound DNS name.
                if (!IsLoopbackHost(context.Request.Host) && !PublicOrigins.IsPublicHost(options, context.Request.Host))
                {
                    context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
                    await context.Response.WriteAsync(PublicOrigins.MisdirectedMessage(options)).ConfigureAwait(false);
                    return;
                }

                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = PageEndpoints.ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                // same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" with the page's own form
                // posts (the sign-in form), which the cross-origin write check must refuse; other sites still get nothing.
                headers["Referrer-Policy"] = "same-origin";
                await next(context).ConfigureAwait(false);
            });
            app.Use(UnexpectedErrors.HandleAsync);   // before routing too: no exception anywhere reaches the client as text
            app.UseRouting();
            app.Use(ViewerAccess.HandleAsync);   // after routing, so it reads each route's AccessRule
            SignInEndpoints.Map(app);
            IngestEndpoints.Map(app);
            QueryEndpoints.Map(app);
            CloudFunctionEndpoints.Map(app);
            CloudSearchEndpoints.Map(app);
            AnnotationEndpoints.Map(app);
            AnalyticsEndpoints.Map(app);
            CloudTraceEndpoints.Map(app);
            TraceDeleteEndpoints.Map(app);
            RetentionEndpoints.Map(app);
            FunctionPageEndpoints.Map(app);
            PageEndpoints.Map(app);
            AdminEndpoints.Map(app, accountsMode.On);
            return app;
        }

        /// <summary>The address the started app listens on (the real port when 0 was asked for).</summary>
        public static Uri Address(WebApplication app)
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            var first = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("The viewer is not listening yet.");
            return new Uri(first.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        }

        private static bool IsLoopbackHost(HostString host) =>
            !host.HasValue
            || host.Host is "127.0.0.1" or "localhost" or "[::1]" or "::1"
            || host.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }
}
