/// A starter flow `flowlang init` writes before scaffolding its package.
package enum ProjectTemplate: String, Sendable, CaseIterable {
    /// One custom task (`Greet`) and a built-in one: the smallest package worth scaffolding.
    case hello
    /// An order pipeline: validation, a loop, pricing, a retried payment with compensation, shipping.
    case orderFulfillment = "order-fulfillment"

    /// What `--template` lists.
    package var summary: String {
        switch self {
        case .hello: "one custom task (Greet) and a built-in Log"
        case .orderFulfillment:
            "validate, check stock per item, price, charge with retries and a refund on failure, ship"
        }
    }

    /// The flow's YAML, named `flowName`.
    package func flowYAML(flowName: String) -> String {
        let header = "flow: \(flowName)\n"
        switch self {
        case .hello: return header + Self.helloBody
        case .orderFulfillment: return header + Self.orderBody
        }
    }

    static let helloBody = """
        description: Greets someone by name. Implement Greet, then serve it with `flowlang serve . --reload`.

        inputs:
          - name: user_name
            type: string
            required: true
            description: Who to greet

        steps:
          - task: Greet
            id: greeting
            description: Builds the greeting for one user.
            inputs:
              name: ${inputs.user_name}
            outputs: [message]

          - task: Log
            inputs:
              message: "greeted ${inputs.user_name}"

        outputs:
          - name: message
            value: ${greeting.message}

        """

    static let orderBody = """
        description: Validates an order, checks stock for each item, prices it, charges the payment and ships it.

        inputs:
          - name: customer_id
            type: string
            required: true
          - name: items
            type: array
            required: true
            description: "[{product_id, quantity}]"
          - name: payment_token
            type: string
            required: true
          - name: shipping_address
            type: object
            required: true

        steps:
          - task: ValidateOrder
            id: validation
            description: Checks the customer and the shape of the order.
            inputs:
              customer_id: ${inputs.customer_id}
              items: ${inputs.items}
            outputs: [is_valid, reason]

          - if: ${validation.is_valid} == false
            then:
              - exit:
                  reason: "Invalid order: ${validation.reason}"

          - for_each: ${inputs.items}
            as: item
            id: stock_checks
            do:
              - task: CheckInventory
                id: stock
                description: Looks up one product's stock and unit price.
                inputs:
                  product_id: ${item.product_id}
                  quantity: ${item.quantity}
                outputs: [in_stock, unit_price]

          - task: PriceOrder
            id: pricing
            description: Totals the order from the stock checks.
            inputs:
              items: ${inputs.items}
              stock: ${stock_checks}
            outputs: [total]

          - task: ChargePayment
            id: payment
            description: Charges the customer; retried on transient gateway errors.
            inputs:
              amount: ${pricing.total}
              token: ${inputs.payment_token}
            retry:
              max_attempts: 3
              delay_seconds: 0.5
              backoff_multiplier: 2
            outputs: [transaction_id]
            on_error:
              - exit:
                  reason: "Payment failed: ${error.message}"

          - task: CreateShipment
            id: shipment
            description: Books the parcel to the shipping address.
            inputs:
              address: ${inputs.shipping_address}
              transaction_id: ${payment.transaction_id}
            outputs: [tracking_number]
            on_error:
              - task: RefundPayment
                description: Gives the money back when the order cannot ship.
                inputs:
                  transaction_id: ${payment.transaction_id}
              - exit:
                  reason: "Shipping failed: ${error.message}"

        outputs:
          - name: transaction_id
            value: ${payment.transaction_id}
          - name: tracking_number
            value: ${shipment.tracking_number}

        """
}
