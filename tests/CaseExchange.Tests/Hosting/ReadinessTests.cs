using System.Net;
using CaseExchange.Hosting;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CaseExchange.Tests.Hosting;

/// <summary>A node joins the balancer (/health/ready green) only once its endpoints are compiled.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task Readiness_stays_red_until_the_warm_up_has_compiled_the_endpoints()
    {
        var database = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("pret");
        await using var service = await TestService.StartAsync(database, settings: new Dictionary<string, string?> { [Warmup.Setting] = "true" });
        var warmup = service.Services.GetRequiredService<Warmup>();

        for (var attempt = 0; attempt < 3000; attempt++)
        {
            var ready = await service.Client.GetAsync("/health/ready");
            // Asked first, then the warm-up's state: a green answer implies a finished warm-up.
            if (ready.StatusCode == HttpStatusCode.OK)
            {
                Assert.True(warmup.IsDone, "Ready before the warm-up finished.");
                Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/health/live")).StatusCode);
                return;
            }
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            await Task.Delay(20);
        }
        Assert.Fail("Never ready.");
    }
}
