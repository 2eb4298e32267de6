using System;
using System.IO;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mirascope.Ops.Viewer;
using Mirascope.Ops.Viewer.Storage;

if (Mirascope.Ops.Viewer.Accounts.AdminCommand.Matches(args))
{
    return Mirascope.Ops.Viewer.Accounts.AdminCommand.Run(args, Environment.GetEnvironmentVariable, Console.In, Console.Out, Console.Error);
}

ViewerOptions options;
try
{
    options = ViewerOptions.Parse(args, Environment.GetEnvironmentVariable);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine();
    Console.Error.WriteLine(ViewerOptions.Usage);
    return 2;
}

if (options.ShowHelp)
{
    Console.WriteLine(ViewerOptions.Usage);
    return 0;
}

if (options.CertificatePasswordFromStdin)
{
    // The first line of stdin: `mirascope-viewer --certificate tls.pfx --certificate-password-stdin < password-file`.
    options.CertificatePassword = Console.In.ReadLine() ?? string.Empty;
}

WebApplication app;
try
{
    app = ViewerApp.Build(options);
}
catch (Mirascope.Ops.Viewer.Access.RefusedStartException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}
catch (Exception exception) when (exception is DbException or IOException or UnauthorizedAccessException or InvalidOperationException or System.Net.Sockets.SocketException)
{
    // The store's description, never the connection string itself (it may hold a password).
    Console.Error.WriteLine($"Cannot open the span database {StoreEngines.Describe(options.Store)}: {exception.Message}");
    Console.Error.WriteLine("Choose another store with --store <file or PostgreSQL connection string> (or MIRASCOPE_VIEWER_STORE).");
    return 1;
}

try
{
    await app.StartAsync();
}
catch (IOException exception) when (exception.InnerException is AddressInUseException)
{
    Console.Error.WriteLine($"Port {options.Port} on {options.Listen} is in use. Start the viewer with --port <n> (or MIRASCOPE_VIEWER_PORT), e.g. --port 0 for any free port.");
    return 1;
}

Console.WriteLine(StartupBanner.Text(ViewerApp.Address(app), options, app.Services.GetRequiredService<Mirascope.Ops.Viewer.Accounts.AccountsMode>().On));
await app.WaitForShutdownAsync();
return 0;
