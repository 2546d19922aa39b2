// The Stripe payment page: mounts Stripe's Payment Element and confirms
// the payment with it. Everything it needs is in the form's data
// attributes; Stripe.js (https://js.stripe.com/v3/) is loaded before it.
(function () {
  'use strict';
  var form = document.getElementById('stripe-payment');
  if (!form) {
    return;
  }
  var message = document.getElementById('payment-message');
  var button = document.getElementById('pay-button');
  function show(text) {
    message.textContent = text;
    message.hidden = false;
  }
  if (typeof window.Stripe !== 'function') {
    show('The card form could not be loaded. Please check your connection and reload the page.');
    button.disabled = true;
    return;
  }
  var stripe = window.Stripe(form.dataset.publishableKey);
  var elements = stripe.elements({ clientSecret: form.dataset.clientSecret });
  elements.create('payment').mount('#payment-element');
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    button.disabled = true;
    message.hidden = true;
    stripe
      .confirmPayment({ elements: elements, confirmParams: { return_url: form.dataset.returnUrl } })
      .then(function (result) {
        // Only reached when the payment was not confirmed; otherwise
        // Stripe sends the browser to the return address.
        if (result.error) {
          show(result.error.message || 'The payment did not go through. Please try again.');
        }
        button.disabled = false;
      });
  });
})();
