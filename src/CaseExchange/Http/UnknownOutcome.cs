using System.Net.Sockets;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace CaseExchange.Http;

/// <summary>
/// The connection to PostgreSQL broke while a request was being served. For a write, the COMMIT may have reached the
/// WAL before the connection died: the service cannot know whether the change was recorded, and must never say
/// that nothing was. The member checks, or retries with the same identifier (creations are idempotent).
/// </summary>
public static class UnknownOutcome
{
    public static bool IsConnectionLoss(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // Connection exceptions (class 08) and the server ending the session (admin/crash/cannot connect now).
                case PostgresException postgres:
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                           || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                               or PostgresErrorCodes.CannotConnectNow;
                // Past PostgresException above, an NpgsqlException is raised by the client: a connection-level failure (a
                // broken stream, a timeout, or "No suitable host was found" while a failover is under way).
                case NpgsqlException:
                case IOException:
                case SocketException:
                    return true;
                // A multi-host data source that finds no primary (failover under way) wraps each host's failure.
                case AggregateException aggregate:
                    return aggregate.InnerExceptions.Any(IsConnectionLoss);
            }
        }
        return false;
    }

    public static bool IsWrite(string? method) => !HttpMethods.IsGet(method ?? "") && !HttpMethods.IsHead(method ?? "")
                                                  && !HttpMethods.IsOptions(method ?? "");

    public static ProblemDetails Problem(bool write) => write
        ? new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Type = ProblemTypes.UnknownOutcome,
            Title = "Issue inconnue",
            Detail = "La liaison avec la base de données a été coupée pendant l'enregistrement : votre action a pu être enregistrée " +
                     "ou non. Rechargez la page pour le vérifier, ou renvoyez exactement la même demande (même identifiant ou même " +
                     "clé Idempotency-Key) : elle ne sera pas enregistrée deux fois.",
        }
        : new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Type = ProblemTypes.Unavailable,
            Title = "Service momentanément indisponible",
            Detail = "La base de données ne répond pas pour l'instant. Réessayez dans quelques instants.",
        };
}
