using System;
using System.Collections.Generic;
using System.Data.Common;
using System.IO;
using System.Text;

namespace Mirascope.Ops.Viewer.Accounts
{
    /// <summary>
    /// <c>mirascope-viewer admin create --email you@example.com [--password-stdin] [--organization name] [--project name]
    /// [--environment name] [--store store]</c>: the first admin of a team viewer, without clicking. Creates the person
    /// (password from standard input, or asked for on the terminal without echo), makes them owner of the organization
    /// (created unless it exists), creates the project and environment, and prints one API key of that environment once.
    /// From the next start the store is in accounts mode.
    /// </summary>
    internal static class AdminCommand
    {
        public const string Usage = "usage: mirascope-viewer admin create --email <email> [--password-stdin] [--organization <name>] [--project <name>] [--environment <name>] [--store <store>]";

        /// <summary>True when <paramref name="args"/> is an <c>admin</c> command (then <see cref="Run"/> handles it).</summary>
        public static bool Matches(IReadOnlyList<string> args) => args.Count > 0 && args[0] == "admin";

        public static int Run(IReadOnlyList<string> args, Func<string, string?> environment, TextReader input, TextWriter output, TextWriter error)
        {
            if (args.Count < 2 || args[1] != "create")
            {
                error.WriteLine(Usage);
                return 2;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var passwordFromStdin = false;
            for (var i = 2; i < args.Count; i++)
            {
                var name = args[i];
                if (name == "--password-stdin")
                {
                    passwordFromStdin = true;
                    continue;
                }

                if (name is not ("--email" or "--organization" or "--project" or "--environment" or "--store") || i + 1 >= args.Count)
                {
                    error.WriteLine(i + 1 >= args.Count && name.StartsWith("--", StringComparison.Ordinal) ? $"{name} needs a value" : $"unknown option {name}");
                    error.WriteLine(Usage);
                    return 2;
                }

                values[name] = args[++i];
            }

            if (!values.TryGetValue("--email", out var email))
            {
                error.WriteLine("--email is required");
                error.WriteLine(Usage);
                return 2;
            }

            var store = values.GetValueOrDefault("--store") ?? environment("MIRASCOPE_VIEWER_STORE") ?? environment("MIRASCOPE_VIEWER_DATA") ?? ViewerOptions.DefaultDataPath();
            var password = passwordFromStdin ? input.ReadLine() : AskPassword(error);
            if (string.IsNullOrEmpty(password))
            {
                error.WriteLine("No password given: pipe it in with --password-stdin, or run this in a terminal to be asked.");
                return 2;
            }

            try
            {
                var traces = new Storage.TraceStore(store);
                var accounts = new AccountStore(traces.Engine);
                var now = DateTimeOffset.UtcNow;
                var organizationName = values.GetValueOrDefault("--organization") ?? "Default";
                var user = accounts.CreateUser(email, password, now);
                var organization = accounts.FindOrganizationByName(organizationName) ?? accounts.CreateOrganization(organizationName, now);
                accounts.AddOwner(organization.Id, user.Id);
                var project = accounts.CreateProject(organization.Id, values.GetValueOrDefault("--project") ?? "default", now);
                accounts.SetMember(project.Id, user.Id, ProjectRole.Admin);
                var environmentRecord = accounts.CreateEnvironment(project.Id, values.GetValueOrDefault("--environment") ?? "production", now);
                var (_, key) = accounts.CreateKey(environmentRecord.Id, "created by admin create", user.Id, now);
                (traces.Engine as IDisposable)?.Dispose();

                output.WriteLine($"Created {user.Email}: owner of organization \"{organization.Name}\", ADMIN of project \"{project.Name}\" (environment \"{environmentRecord.Name}\").");
                output.WriteLine("An API key of that environment, shown this once (the store keeps only its hash):");
                output.WriteLine($"  MIRASCOPE_API_KEY={key}");
                output.WriteLine("Accounts are on from the viewer's next start: people sign in on the page, senders use keys.");
                return 0;
            }
            catch (Exception exception) when (exception is ArgumentException or AccountConflictException)
            {
                error.WriteLine(exception.Message);
                return 1;
            }
            catch (Exception exception) when (exception is DbException or IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                error.WriteLine($"Cannot open the store {Storage.StoreEngines.Describe(store)}: {exception.Message}");
                return 1;
            }
        }

        /// <summary>Asks on the terminal without echoing; null when there is no terminal (stdin redirected).</summary>
        private static string? AskPassword(TextWriter error)
        {
            if (Console.IsInputRedirected)
            {
                return null;
            }

            error.Write("Password (at least 12 characters): ");
            var password = new StringBuilder();
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter)
                {
                    error.WriteLine();
                    return password.ToString();
                }

                if (key.Key == ConsoleKey.Backspace)
                {
                    if (password.Length > 0)
                    {
                        password.Length--;
                    }
                }
                else if (!char.IsControl(key.KeyChar))
                {
                    password.Append(key.KeyChar);
                }
            }
        }
    }
}
