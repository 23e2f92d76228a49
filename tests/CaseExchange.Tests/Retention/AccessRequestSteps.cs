using CaseExchange.Retention.RightOfAccess.Requests;
using CaseExchange.Tests.Infrastructure;

namespace CaseExchange.Tests.Retention;

/// <summary>Typed steps for recorded right-of-access requests, through the API as the coordonnateur.</summary>
public static class AccessRequestSteps
{
    public static async Task<AccessRequestRecordedResponse> RecordAsync(TestService service, TestCouncil council, DateOnly? receivedOn = null,
        string channel = "courrier") =>
        await service.PostJsonAsync<AccessRequestRecordedResponse>(council.Coordonnateur, $"{council.Api}/right-of-access/requests",
            new { receivedOn = receivedOn ?? DateOnly.FromDateTime(DateTime.UtcNow), channel }, 201);
}
