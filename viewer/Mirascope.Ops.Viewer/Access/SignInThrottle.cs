using System;
using System.Collections.Generic;
using System.Net;
using Mirascope.Ops.Viewer.Storage;

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
    /// harsher, only slows the address that fails. Kept in the store (<see cref="SignInFailures"/>), not the process: viewers
    /// sharing one PostgreSQL database count together, so an attacker who spreads guesses over them gets no more tries than
    /// against one. Behind a reverse proxy every client has the proxy's address, which is why the per-address limit starts
    /// later than the per-account one.
    /// </para>
    /// </summary>
    internal sealed class SignInThrottle
    {
        public const int AccountFreeFailures = 5;
        public const int AddressFreeFailures = 20;
        public static readonly TimeSpan AccountLongestWait = TimeSpan.FromMinutes(1);
        public static readonly TimeSpan AddressLongestWait = TimeSpan.FromMinutes(15);
        public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

        private readonly SignInFailures _failures;
        private readonly TimeProvider _clock;

        public SignInThrottle(IStoreEngine engine, TimeProvider? clock = null)
        {
            _failures = new SignInFailures(engine);
            _clock = clock ?? TimeProvider.System;
        }

        /// <summary>How long the caller must wait before this try is checked; null: it may try now.</summary>
        public TimeSpan? WaitBefore(string account, IPAddress? address)
        {
            var now = _clock.GetUtcNow();
            var accountKey = AccountKey(account);
            var addressKey = address is null ? null : AddressKey(address);
            var failures = _failures.Read(addressKey is null ? new[] { accountKey } : new[] { accountKey, addressKey });
            var wait = Wait(failures, accountKey, AccountFreeFailures, AccountLongestWait, now);
            if (addressKey is not null && Wait(failures, addressKey, AddressFreeFailures, AddressLongestWait, now) is { } addressWait && (wait is null || addressWait > wait))
            {
                wait = addressWait;
            }

            return wait;
        }

        public void Failed(string account, IPAddress? address) =>
            _failures.Count(address is null ? new[] { AccountKey(account) } : new[] { AccountKey(account), AddressKey(address) }, _clock.GetUtcNow(), Window);

        public void Succeeded(string account) => _failures.Forget(AccountKey(account));

        private static TimeSpan? Wait(Dictionary<string, (long Failures, DateTimeOffset Latest)> all, string key, int free, TimeSpan longest, DateTimeOffset now)
        {
            if (!all.TryGetValue(key, out var failures) || failures.Failures < free || now - failures.Latest > Window)
            {
                return null;
            }

            var step = TimeSpan.FromSeconds(Math.Pow(2, Math.Min(30, failures.Failures - free)));
            var wait = (step < longest ? step : longest) - (now - failures.Latest);
            return wait > TimeSpan.Zero ? wait : null;
        }

        private static string AccountKey(string account) => "account:" + account.Trim().ToLowerInvariant();

        private static string AddressKey(IPAddress address) => "address:" + (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
    }
}
