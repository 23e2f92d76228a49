using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CaseExchange.Tests.Infrastructure;

namespace CaseExchange.Tests.Hosting;

public sealed class HealthAndProblemTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private TestService Service => fixture.Service;

    [Fact]
    public async Task Live_and_ready_answer_200_when_PostgreSQL_is_reachable()
    {
        Assert.Equal(HttpStatusCode.OK, (await Service.Client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Service.Client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_API_with_its_bearer_scheme()
    {
        var document = await Service.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/councils/{council}/situations", paths);
        Assert.Contains("/api/councils/{council}/situations/{situationId}/file-openings", paths);
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("Bearer", out _));
    }

    [Fact]
    public async Task Every_API_operation_is_documented_with_a_summary()
    {
        var document = await Service.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var undocumented = document.GetProperty("paths").EnumerateObject()
            .Where(path => path.Name.StartsWith("/api/"))
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Route: $"{op.Name.ToUpperInvariant()} {path.Name}", Operation: op.Value)))
            .Where(op => !op.Operation.TryGetProperty("summary", out var summary) || summary.GetString()!.Contains('_'))
            .Select(op => op.Route)
            .ToList();
        Assert.True(undocumented.Count == 0, "Operations without a summary: " + string.Join(", ", undocumented));
    }

    [Fact]
    public async Task An_unknown_route_is_a_French_problem_document()
    {
        var problem = await Answers.ProblemAsync(await Service.Client.GetAsync("/nulle-part"), 404);
        Assert.Equal("urn:caseexchange:problem:not-found", problem.GetProperty("type").GetString());
        Assert.Equal("Ressource introuvable", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task An_anonymous_API_call_is_a_401_problem()
    {
        var problem = await Answers.ProblemAsync(await Service.Client.GetAsync("/api/councils/x/situations"), 401);
        Assert.Equal("urn:caseexchange:problem:unauthenticated", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Malformed_JSON_is_a_400_problem_that_does_not_echo_the_body()
    {
        var token = await Service.TokenAsync("quelqu.un");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/councils/x/situations")
        {
            Content = new StringContent("{\"facts\": \"Secret Zorglub", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", token);
        var response = await Service.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("urn:caseexchange:problem:malformed-body", body);
        Assert.DoesNotContain("Zorglub", body);
    }
}
