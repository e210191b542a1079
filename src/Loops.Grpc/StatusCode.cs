namespace Loops.Grpc;

/// <summary>The status codes gRPC defines, with their wire values.</summary>
public enum StatusCode
{
    /// <summary>Not an error.</summary>
    OK = 0,
    /// <summary>The operation was cancelled, typically by the caller.</summary>
    Cancelled = 1,
    /// <summary>An unknown error.</summary>
    Unknown = 2,
    /// <summary>The client sent an argument that is invalid regardless of the system's state.</summary>
    InvalidArgument = 3,
    /// <summary>The deadline expired before the operation could complete.</summary>
    DeadlineExceeded = 4,
    /// <summary>A requested entity was not found.</summary>
    NotFound = 5,
    /// <summary>The entity a client tried to create already exists.</summary>
    AlreadyExists = 6,
    /// <summary>The caller may not execute the operation.</summary>
    PermissionDenied = 7,
    /// <summary>A resource (a quota, the message size, disk space) is exhausted.</summary>
    ResourceExhausted = 8,
    /// <summary>The system is not in the state the operation requires.</summary>
    FailedPrecondition = 9,
    /// <summary>The operation was aborted, typically by a concurrency conflict.</summary>
    Aborted = 10,
    /// <summary>The operation went past the valid range.</summary>
    OutOfRange = 11,
    /// <summary>The operation is not implemented or not supported.</summary>
    Unimplemented = 12,
    /// <summary>An invariant of the server is broken.</summary>
    Internal = 13,
    /// <summary>The service is currently unavailable; retrying with backoff may succeed.</summary>
    Unavailable = 14,
    /// <summary>Unrecoverable data loss or corruption.</summary>
    DataLoss = 15,
    /// <summary>The request has no valid authentication credentials.</summary>
    Unauthenticated = 16,
}
