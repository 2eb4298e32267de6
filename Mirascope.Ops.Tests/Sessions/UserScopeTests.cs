using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Sessions
{
    /// <summary><c>MirascopeOps.User</c> and <c>Session(userId:)</c>: who the work is for, on every span started inside.</summary>
    public class UserScopeTests
    {
        private const string UserKey = "mirascope.ops.user.id";
        private const string SessionKey = "mirascope.ops.session.id";

        public static IEnumerable<object[]> Configurations => WovenAssembly.Configurations;

        [Theory]
        [MemberData(nameof(Configurations))]
        public async Task Traced_spans_started_in_a_user_scope_carry_the_user_across_awaits_and_into_Task_Run(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var calc = woven.New("Calc");
            using var capture = new SpanCapture();

            using (MirascopeOps.User("alice"))
            {
                woven.Call(calc, "Multiply", 2, 3);
                await Task.Yield();
                var seen = await Task.Run(async () =>
                {
                    await (Task<string>)woven.Call(calc, "FetchAsync", "https://example.test/u")!;
                    return MirascopeOps.CurrentUserId;
                });
                Assert.Equal("alice", seen);
            }

            Assert.Equal("alice", capture.Single("Calc.Multiply").Tag(UserKey));
            Assert.Equal("alice", capture.Single("Calc.FetchAsync").Tag(UserKey));
            Assert.Null(capture.Single("Calc.Multiply").Tag(SessionKey));   // a user alone opens no session
            Assert.Null(MirascopeOps.CurrentUserId);
        }

        [Fact]
        public void A_session_with_a_user_records_both_and_a_session_opened_inside_keeps_the_user()
        {
            using var capture = new SpanCapture();

            using (MirascopeOps.Session("outer", userId: "bob"))
            {
                using (MirascopeOps.Span("outer-work"))
                {
                }

                using (MirascopeOps.Session("inner"))
                using (MirascopeOps.Span("inner-work"))
                {
                    Assert.Equal("bob", MirascopeOps.CurrentUserId);
                }
            }

            Assert.Equal("outer", capture.Single("outer-work").Tag(SessionKey));
            Assert.Equal("bob", capture.Single("outer-work").Tag(UserKey));
            Assert.Equal("inner", capture.Single("inner-work").Tag(SessionKey));
            Assert.Equal("bob", capture.Single("inner-work").Tag(UserKey));
            Assert.Null(MirascopeOps.CurrentSession);
            Assert.Null(MirascopeOps.CurrentUserId);
        }

        [Fact]
        public void A_user_scope_keeps_the_session_and_disposing_it_restores_the_previous_user()
        {
            using (MirascopeOps.Session("s-1", userId: "bob"))
            {
                using (var carol = MirascopeOps.User("carol"))
                {
                    Assert.Equal("carol", carol.UserId);
                    Assert.Equal("carol", MirascopeOps.CurrentUserId);
                    Assert.Equal("s-1", MirascopeOps.CurrentSession?.Id);
                    using (MirascopeOps.User(null))
                    {
                        Assert.Null(MirascopeOps.CurrentUserId);   // no user inside
                        Assert.Equal("s-1", MirascopeOps.CurrentSession?.Id);
                    }

                    Assert.Equal("carol", MirascopeOps.CurrentUserId);
                }

                Assert.Equal("bob", MirascopeOps.CurrentUserId);
            }
        }

        [Fact]
        public void Disposing_a_user_scope_twice_does_not_undo_the_scope_opened_after_it()
        {
            var first = MirascopeOps.User("first");
            first.Dispose();
            using (MirascopeOps.User("second"))
            {
                first.Dispose();
                Assert.Equal("second", MirascopeOps.CurrentUserId);
            }
        }

        [Fact]
        public async Task A_user_set_inside_an_async_method_does_not_leak_to_its_caller()
        {
            async Task SetAndLeave()
            {
                await Task.Yield();
                MirascopeOps.User("left-open");
            }

            await SetAndLeave();

            Assert.Null(MirascopeOps.CurrentUserId);
        }
    }
}
