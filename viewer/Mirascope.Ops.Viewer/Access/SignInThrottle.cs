using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;

namespace Mirascope.Ops.Viewer.Access
{
    /// <summary>
    /// Limits failed sign-ins at <c>POST /login</c>, per account (the email; in single-developer mode the viewer's one key)
    /// and per client address. The first <see cref="AccountFreeFailures"/> (per address <see cref="AddressFreeFailures"/>)
    /// failures cost nothing; after that each try must wait twice as long as the last since the latest failure (1 s, 2 s,
    /// 4 s, ...) up to <see cref="AccountLongestWait"/> (per address <see cref="AddressLongestWait"/>), and a try before
    /// then is answered 429 with <c>Retry-After</c> without the password being checked at all — so guessing goes at most
    /// one try per minute per account. Failures are forgotten <see cref="Window"/> after the latest one, and a successful
    /// sign-in forgets the account's.
    /// <para>
    /// Why a wait and not a lock: an attacker who types wrong passwords for someone's email can make them wait at most
    /// <see cref="AccountLongestWait"/> before their next try, never lock them out; and the per-address limit, which is
    /// harsher, only slows the address that fails. Kept in the process: several viewers behind one load balancer each
    /// count their own (an attacker spread over them gets that many times the tries), and behind a reverse proxy every
    /// client has the proxy's address, which is why the per-address limit starts later than the per-account one.
    /// </para>
    /// </summary>
    internal sealed class SignInThrottle
    {
        public const int AccountFreeFailures = 5;
        public const int AddressFreeFailures = 20;
        public static readonly TimeSpan AccountLongestWait = TimeSpan.FromMinutes(1);
        public static readonly TimeSpan AddressLongestWait = TimeSpan.FromMinutes(15);
        public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

        /// <summary>Most accounts and addresses remembered; beyond, the ones whose latest failure is oldest are forgotten.</summary>
        public const int MaxTracked = 50_000;

        private readonly ConcurrentDictionary<string, Failures> _failures = new ConcurrentDictionary<string, Failures>(StringComparer.Ordinal);
        private readonly TimeProvider _clock;

        public SignInThrottle(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

        private sealed record Failures(int Count, DateTimeOffset Latest);

        /// <summary>How long the caller must wait before this try is checked; null: it may try now.</summary>
        public TimeSpan? WaitBefore(string account, IPAddress? address)
        {
            var now = _clock.GetUtcNow();
            var wait = Wait(AccountKey(account), AccountFreeFailures, AccountLongestWait, now);
            if (address is not null && Wait(AddressKey(address), AddressFreeFailures, AddressLongestWait, now) is { } addressWait && (wait is null || addressWait > wait))
            {
                wait = addressWait;
            }

            return wait;
        }

        public void Failed(string account, IPAddress? address)
        {
            var now = _clock.GetUtcNow();
            Count(AccountKey(account), now);
            if (address is not null)
            {
                Count(AddressKey(address), now);
            }

            if (_failures.Count > MaxTracked)
            {
                Forget(now);
            }
        }

        public void Succeeded(string account) => _failures.TryRemove(AccountKey(account), out _);

        private TimeSpan? Wait(string key, int free, TimeSpan longest, DateTimeOffset now)
        {
            if (!_failures.TryGetValue(key, out var failures) || failures.Count < free || now - failures.Latest > Window)
            {
                return null;
            }

            var step = TimeSpan.FromSeconds(Math.Pow(2, Math.Min(30, failures.Count - free)));
            var wait = (step < longest ? step : longest) - (now - failures.Latest);
            return wait > TimeSpan.Zero ? wait : null;
        }

        private void Count(string key, DateTimeOffset now) =>
            _failures.AddOrUpdate(key, _ => new Failures(1, now), (_, old) => now - old.Latest > Window ? new Failures(1, now) : new Failures(old.Count + 1, now));

        /// <summary>Forgets failures past the window, then, if still too many, the oldest half.</summary>
        private void Forget(DateTimeOffset now)
        {
            foreach (var (key, failures) in _failures)
            {
                if (now - failures.Latest > Window)
                {
                    _failures.TryRemove(key, out _);
                }
            }

            if (_failures.Count > MaxTracked)
            {
                foreach (var (key, _) in _failures.OrderBy(f => f.Value.Latest).Take(_failures.Count / 2).ToList())
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }

        private static string AccountKey(string account) => "account:" + account.Trim().ToLowerInvariant();

        private static string AddressKey(IPAddress address) => "address:" + (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
    }
}
