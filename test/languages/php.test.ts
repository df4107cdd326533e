/**
 * PHP extraction on a snippet of Guzzle (src/RetryMiddleware.php), with complexities counted
 * by hand under PHPMD's CyclomaticComplexity rule (PDepend's ccn2; confirmed with PHPMD 2.13
 * while writing them; the bench compares the whole code base).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract } from './helpers.ts';

const RETRY = `<?php

namespace GuzzleHttp;

use GuzzleHttp\\Promise as P;
use Psr\\Http\\Message\\{RequestInterface, ResponseInterface};

/**
 * Middleware that retries requests based on the boolean result of
 * invoking the provided "decider" function.
 */
class RetryMiddleware
{
    public function __construct(callable $decider, callable $nextHandler, callable $delay = null)
    {
        $this->decider = $decider;
        $this->nextHandler = $nextHandler;
        $this->delay = $delay ?: __CLASS__.'::exponentialDelay';
    }

    /**
     * Default exponential backoff delay function.
     */
    public static function exponentialDelay(int $retries): int
    {
        return (int) 2 ** ($retries - 1) * 1000;
    }

    #[\\ReturnTypeWillChange]
    public function __invoke(RequestInterface $request, array $options): PromiseInterface
    {
        if (!isset($options['retries'])) {
            $options['retries'] = 0;
        }
        $fn = $this->nextHandler;
        return $fn($request, $options)->then($this->onFulfilled($request, $options));
    }

    private function onFulfilled(RequestInterface $request, array $options): callable
    {
        return function ($value) use ($request, $options) {
            if (!($this->decider)($options['retries'], $request, $value, null)) {
                return $value;
            }
            return $this->doRetry($request, $options, $value);
        };
    }

    private function kind($e): string
    {
        switch (true) {
            case $e instanceof ConnectException:
            case $e instanceof TooManyRedirectsException:
                return 'network';
            default:
                return $e->getCode() >= 500 and $e->getCode() < 600 ? 'server' : 'other';
        }
    }
}

function describe_type($input): string
{
    foreach ($input as $k => $v) {
        try { return \\gettype($v); } catch (\\Throwable $t) { return $k ?? 'x'; }
    }
    return 'none';
}
`;

test('PHP classes, methods, functions, PHPDoc, attributes and use declarations', async () => {
  const r = await extract('php', RETRY);
  const cls = r.by('RetryMiddleware');
  assert.equal(cls.docstring, 'Middleware that retries requests based on the boolean result of\ninvoking the provided "decider" function.');
  assert.equal(cls.methodCount, 5);
  const invoke = r.by('RetryMiddleware.__invoke');
  assert.deepEqual(invoke.decorators, ['\\ReturnTypeWillChange']);
  assert.equal(invoke.startLine, 30, 'starts at its declaration, after the attributes');
  assert.deepEqual(invoke.params, ['$request', '$options']);
  assert.equal(r.by('RetryMiddleware.exponentialDelay').docstring, 'Default exponential backoff delay function.');
  assert.equal(r.by('describe_type').kind, 'function');
  assert.deepEqual(
    r.imports.map((i) => `${i.module}:${i.names.map((n) => `${n.local}=${n.imported}`).join(',')}`),
    ['GuzzleHttp:P=Promise', 'Psr\\Http\\Message:RequestInterface=RequestInterface', 'Psr\\Http\\Message:ResponseInterface=ResponseInterface'],
  );
  assert.equal(r.hasSyntaxErrors, false);
});

test("PHP cyclomatic complexity follows PHPMD's rule", async () => {
  const r = await extract('php', RETRY);
  assert.equal(r.by('RetryMiddleware.__construct').metrics.cyclomatic, 2); // ?:
  assert.equal(r.by('RetryMiddleware.exponentialDelay').metrics.cyclomatic, 1);
  assert.equal(r.by('RetryMiddleware.__invoke').metrics.cyclomatic, 2);
  assert.equal(r.by('RetryMiddleware.onFulfilled').metrics.cyclomatic, 2, "the closure's if counts toward the method");
  assert.equal(r.by('RetryMiddleware.kind').metrics.cyclomatic, 5); // case, case, and, ?:
  assert.equal(r.by('describe_type').metrics.cyclomatic, 3, '?? adds nothing'); // foreach, catch
});
