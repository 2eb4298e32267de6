using System;
#if NET8_0_OR_GREATER
using System.Runtime.InteropServices;
#endif

namespace Mirascope.Ops.Configuration
{
    /// <summary>
    /// Flushes the export when the process is asked to stop: SIGTERM (how container orchestrators and systemd stop a
    /// process), SIGINT (Ctrl+C) and SIGQUIT, through <c>PosixSignalRegistration</c> on .NET 8 and later (on Windows
    /// those are Ctrl+C, Ctrl+Break and the console close/logoff/shutdown events); <c>Console.CancelKeyPress</c> on
    /// the netstandard2.0 build (.NET Framework). The flush runs synchronously in the handler, bounded by
    /// <c>ShutdownTimeout</c>, and the handler never touches <c>Cancel</c>: whether and how the process ends stays
    /// exactly what it would be without us — the runtime's default, or the app's own handlers (Generic Host's
    /// ConsoleLifetime, its own registrations), which still run and still decide. See docs/configuration.md.
    /// </summary>
    internal static class ExitSignals
    {
#if NET8_0_OR_GREATER
        // Held for the life of the process: a collected registration unregisters itself.
        private static PosixSignalRegistration[]? _registrations;
#endif

        /// <summary>Calls <paramref name="flush"/> (with the signal's name) when a stop signal arrives. Once per process.</summary>
        public static void Hook(Action<string> flush)
        {
#if NET8_0_OR_GREATER
            if (OperatingSystem.IsBrowser() || OperatingSystem.IsWasi() || OperatingSystem.IsIOS() || OperatingSystem.IsTvOS() || OperatingSystem.IsAndroid())
            {
                return;   // no process signals there
            }

            try
            {
                _registrations = new[]
                {
                    PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => flush("SIGTERM")),
                    PosixSignalRegistration.Create(PosixSignal.SIGINT, context => flush("SIGINT")),
                    PosixSignalRegistration.Create(PosixSignal.SIGQUIT, context => flush("SIGQUIT")),
                };
            }
            catch (Exception exception) when (exception is PlatformNotSupportedException || exception is System.IO.IOException)
            {
                // Nothing to hook on this platform; process exit still flushes.
            }
#else
            try
            {
                Console.CancelKeyPress += (_, _) => flush("Ctrl+C");
            }
            catch (Exception exception) when (exception is PlatformNotSupportedException || exception is InvalidOperationException || exception is System.Security.SecurityException)
            {
                // No console to hook; process exit still flushes.
            }
#endif
        }
    }
}
