import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// The session's one delegate (per-task delegates are ignored on Linux): gathers each task's
/// reply up to its byte limit, stops a reply that goes past it, and refuses every redirect, so
/// credentials never follow one to another host.
///
/// A reply over the limit is refused as soon as that is known: from `Content-Length` before any
/// of the body is read (the task is told to cancel through the response disposition), or, when
/// the length is not announced, as soon as the bytes received pass the limit. Then the task is
/// cancelled from this delegate's queue. That is safe where cancelling from a Swift task's
/// cancellation handler is not: the deadlock in Foundation on Linux needs the canceller to hold
/// the Swift task's status lock while the session's work queue completes the task, and the
/// delegate queue holds neither.
final class ResponseCollector: NSObject, URLSessionDataDelegate, Sendable {
    /// One task's reply so far and whom to tell when it is complete or refused.
    private struct Transfer {
        var host: String
        var limit: Int
        var response: HTTPURLResponse?
        var body: [UInt8] = []
        var answer: @Sendable (Result<OutboundReply, OutboundError>) -> Void
    }

    private let transfers = Mutex<[Int: Transfer]>([:])

    /// Starts following `task`; `answer` is called once, with the reply or the reason there is none.
    func track(_ task: URLSessionTask, host: String, limit: Int,
               answer: @escaping @Sendable (Result<OutboundReply, OutboundError>) -> Void) {
        let transfer = Transfer(host: host, limit: limit, answer: answer)
        transfers.withLock { $0[task.taskIdentifier] = transfer }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        let refused: Transfer? = transfers.withLock { table in
            guard var transfer = table[dataTask.taskIdentifier] else { return nil }
            if response.expectedContentLength > Int64(transfer.limit) {
                table[dataTask.taskIdentifier] = nil
                return transfer
            }
            transfer.response = response as? HTTPURLResponse
            table[dataTask.taskIdentifier] = transfer
            return nil
        }
        if let refused {
            completionHandler(.cancel)
            refused.answer(.failure(Self.tooLarge(refused)))
        } else {
            completionHandler(.allow)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let refused: Transfer? = transfers.withLock { table in
            guard var transfer = table[dataTask.taskIdentifier] else { return nil }
            if transfer.body.count + data.count > transfer.limit {
                table[dataTask.taskIdentifier] = nil
                return transfer
            }
            transfer.body.append(contentsOf: data)
            table[dataTask.taskIdentifier] = transfer
            return nil
        }
        if let refused {
            dataTask.cancel()
            refused.answer(.failure(Self.tooLarge(refused)))
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let transfer = transfers.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
        if let error {
            let code = (error as NSError).code
            let kind: OutboundError.Kind = code == NSURLErrorTimedOut ? .timeout : .network
            transfer.answer(.failure(OutboundError(kind: kind, host: transfer.host, detail: "error \(code)")))
            return
        }
        guard let http = transfer.response ?? task.response as? HTTPURLResponse else {
            transfer.answer(.failure(OutboundError(kind: .network, host: transfer.host, detail: "not an HTTP response")))
            return
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        transfer.answer(.success(OutboundReply(status: http.statusCode, headers: headers, body: transfer.body)))
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }

    private static func tooLarge(_ transfer: Transfer) -> OutboundError {
        OutboundError(kind: .tooLarge, host: transfer.host, detail: "more than \(transfer.limit) bytes")
    }
}
